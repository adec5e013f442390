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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;

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

    static final String DELTA_EVENT = "thread.message.delta";

    @Inject
    RunsConfig config;

    @Inject
    RoutingContext request;

    private final Timer firstDelta;

    @Inject
    public RunResponses(MeterRegistry registry) {
        firstDelta = Timer.builder("meridian.runs.first_delta")
                .description("From a streamed run's request arriving to its first thread.message.delta written to the "
                        + "connection: Meridian's own time plus the model's time to its first token")
                .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(java.time.Duration.ofMinutes(10))
                .distributionStatisticBufferLength(2)
                // cumulative counts at these bounds, which bench/runs.sh reads before and after a phase
                .serviceLevelObjectives(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(2),
                        java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(20),
                        java.time.Duration.ofMillis(50))
                .register(registry);
    }

    Response of(Runs.Started started) {
        if (started.stream() == null) {
            return Response.ok(started.run(), MediaType.APPLICATION_JSON_TYPE).build();
        }
        RunStream stream = started.stream();
        stream.arrived(Arrivals.of(request));
        StreamingOutput events = output -> write(stream, output);
        return Response.ok(events, MediaType.SERVER_SENT_EVENTS_TYPE).header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no").build();
    }

    private void write(RunStream stream, OutputStream output) throws IOException {
        boolean delta = false;
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
                    delta |= DELTA_EVENT.equals(frame.event());
                }
                output.flush();
                if (delta && stream.arrived() != 0) {
                    firstDelta.record(System.nanoTime() - stream.arrived(), java.util.concurrent.TimeUnit.NANOSECONDS);
                    stream.arrived(0);
                }
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
