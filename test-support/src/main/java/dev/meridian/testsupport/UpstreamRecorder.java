package dev.meridian.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test-facing side of a stand-in for an upstream AI provider: what it was sent, with which Authorization header,
 * the failures it should serve (all requests while {@link #down}, or the next {@link #failuresToServe}), and how long
 * it keeps silent before each answer ({@link #silenceMillis}).
 */
public final class UpstreamRecorder {

    public final List<String> requests = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    public final AtomicInteger failuresToServe = new AtomicInteger();
    public final AtomicBoolean down = new AtomicBoolean();
    public final AtomicInteger silenceMillis = new AtomicInteger();

    /** Records one request; {@code authorization} may be null (recorded as "null"). */
    public void record(String request, String authorization) {
        requests.add(request);
        authorizations.add(String.valueOf(authorization));
    }

    /** Whether this request gets a server error: while down, or as one of the failures still to serve. */
    public boolean failing() {
        return down.get() || failuresToServe.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    public void reset() {
        requests.clear();
        authorizations.clear();
        failuresToServe.set(0);
        down.set(false);
        silenceMillis.set(0);
    }
}
