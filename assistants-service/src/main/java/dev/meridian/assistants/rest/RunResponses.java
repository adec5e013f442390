package dev.meridian.assistants.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.assistants.config.RunsConfig;
import dev.meridian.assistants.service.RunStream;
import dev.meridian.assistants.service.Runs;

/**
 * A run as JSON, or, when the caller asked to stream, its events as {@code text/event-stream}: each as
 * {@code event:} and {@code data:}, an SSE comment when nothing happened for a while, and
 * {@code event: done} / {@code data: [DONE]} at the end. A client that disconnects leaves the run running.
 */
@ApplicationScoped
public class RunResponses {

    private static final Logger LOG = Logger.getLogger(RunResponses.class);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DONE = "event: done\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    @Inject
    ObjectMapper json;

    @Inject
    RunsConfig config;

    Response of(Runs.Started started) {
        if (started.stream() == null) {
            return Response.ok(started.run(), MediaType.APPLICATION_JSON_TYPE).build();
        }
        RunStream stream = started.stream();
        StreamingOutput events = output -> write(stream, output);
        return Response.ok(events, MediaType.SERVER_SENT_EVENTS_TYPE).header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no").build();
    }

    private void write(RunStream stream, OutputStream output) throws IOException {
        try {
            while (true) {
                RunStream.Frame frame = stream.next(config.keepAlive().toMillis());
                if (frame == null) {
                    output.write(KEEP_ALIVE);
                }
                // frames already waiting (a transaction's several events) leave in one write, then it is flushed
                for (; frame != null; frame = stream.poll()) {
                    if (frame.done()) {
                        output.write(DONE);
                        output.flush();
                        return;
                    }
                    output.write(("event: " + frame.event() + "\ndata: " + json.writeValueAsString(frame.data()) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
                output.flush();
            }
        } catch (IOException e) {
            LOG.debugf("A client stopped streaming a run: %s", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stream.detach();
        }
    }
}
