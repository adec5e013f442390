package dev.meridian.assistants.service;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The events of one run as one client streams them, in order. The executor offers frames; the client's
 * request takes them until {@link Frame#DONE}. A client that goes away only detaches: the run goes on.
 */
public final class RunStream {

    /** One server-sent event: its name and the object sent as its data. */
    public record Frame(String event, Object data) {
        public static final Frame DONE = new Frame("done", "[DONE]");

        public boolean done() {
            return this == DONE;
        }
    }

    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Runnable detach;
    private volatile long arrived;

    RunStream(Runnable detach) {
        this.detach = detach;
    }

    void offer(Frame frame) {
        frames.offer(frame);
    }

    /** The next frame, or null if none came within the wait (time for a keep-alive). */
    public Frame next(long waitMillis) throws InterruptedException {
        return frames.poll(waitMillis, TimeUnit.MILLISECONDS);
    }

    /** The next frame if one is already waiting, else null. */
    public Frame poll() {
        return frames.poll();
    }

    /** When the request that opened the stream arrived ({@link System#nanoTime()}; 0 when unknown). */
    public long arrived() {
        return arrived;
    }

    public void arrived(long nanoTime) {
        this.arrived = nanoTime;
    }

    public void detach() {
        detach.run();
    }
}
