package dev.meridian.assistants.service;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

/** The clients streaming each run on this replica, and the frames the run's execution sends them. */
@ApplicationScoped
public class RunStreams {

    private final Map<String, List<RunStream>> byRun = new ConcurrentHashMap<>();

    RunStream open(String runId) {
        List<RunStream> streams = byRun.computeIfAbsent(runId, id -> new CopyOnWriteArrayList<>());
        RunStream[] stream = new RunStream[1];
        stream[0] = new RunStream(() -> byRun.computeIfPresent(runId, (id, list) -> {
            list.remove(stream[0]);
            return list.isEmpty() ? null : list;
        }));
        streams.add(stream[0]);
        return stream[0];
    }

    boolean watched(String runId) {
        return byRun.containsKey(runId);
    }

    void emit(String runId, String event, Object data) {
        List<RunStream> streams = byRun.get(runId);
        if (streams != null) {
            RunStream.Frame frame = new RunStream.Frame(event, data);
            streams.forEach(stream -> stream.offer(frame));
        }
    }

    /**
     * Ends every stream of the run with an {@code error} event ({@code data} is the error object, as OpenAI's
     * {@code ErrorEvent}, which the Java SDK's run stream hands to the application as such), then {@code done}.
     */
    void fail(String runId, Object error) {
        emit(runId, "error", error);
        end(runId);
    }

    /** Ends every stream of the run: the run is terminal or waits for the client (requires_action). */
    void end(String runId) {
        List<RunStream> streams = byRun.remove(runId);
        if (streams != null) {
            streams.forEach(stream -> stream.offer(RunStream.Frame.DONE));
        }
    }
}
