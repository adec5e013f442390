package dev.meridian.assistants.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.assistants.config.RunsConfig;
import dev.meridian.assistants.engine.ChatEngines;
import dev.meridian.assistants.engine.ChatEvent;
import dev.meridian.assistants.engine.ChatFailure;
import dev.meridian.assistants.entity.RunEntity;
import dev.meridian.common.api.ApiError;
import dev.meridian.common.error.ErrorMappers;
import dev.meridian.common.error.ErrorType;
import dev.meridian.common.id.Ids;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Executes runs on this replica. A run is executed by the replica that holds its lease in PostgreSQL; the
 * lease is renewed every heartbeat while the run executes, and any replica's sweep takes over queued runs
 * nobody holds, fails in-progress runs whose lease lapsed (their replica died), and expires runs left
 * waiting. The engine's answer streams through on worker threads: nothing blocks while the model thinks.
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    /** The {@code error} event of a stream whose run's outcome could not be stored. */
    static final String UNRECORDED = "The server could not record the outcome of this run. Its status will be settled"
            + " shortly; retrieve the run for its final status.";

    private final String replica = "replica-" + UUID.randomUUID();
    private final Map<String, Execution> executing = new ConcurrentHashMap<>();
    private final Executor workers = Infrastructure.getDefaultWorkerPool();

    @Inject
    RunLifecycle lifecycle;

    @Inject
    RunBudgets budgets;

    @Inject
    RunStreams streams;

    @Inject
    ChatEngines engines;

    @Inject
    RunsConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    AgroalDataSource dataSource;

    String replica() {
        return replica;
    }

    /** Whether this replica may take one more run. */
    boolean hasRoom() {
        return executing.size() < config.maxConcurrent();
    }

    long leaseUntil() {
        return System.currentTimeMillis() + config.lease().toMillis();
    }

    /** Starts executing a run whose lease this replica holds (its transaction committed). */
    void start(String runId) {
        Execution execution = new Execution(runId);
        if (executing.putIfAbsent(runId, execution) == null) {
            workers.execute(() -> execution.begin(null));
        }
    }

    /**
     * Starts executing a run whose turn began in the transaction that claimed it, which committed
     * ({@link RunLifecycle#startClaimed}): the model is asked at once, on this thread.
     */
    void start(String runId, RunLifecycle.Turn turn) {
        Execution execution = new Execution(runId);
        if (executing.putIfAbsent(runId, execution) == null) {
            execution.begin(turn);
        }
    }

    /** Aborts the run if it executes here; answers whether it did. */
    boolean cancelHere(String runId) {
        Execution execution = executing.get(runId);
        if (execution == null) {
            return false;
        }
        execution.cancel();
        return true;
    }

    @Scheduled(every = "${meridian.assistants.runs.heartbeat:1S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "run-heartbeat")
    void heartbeat() {
        if (executing.isEmpty()) {
            return;
        }
        try {
            for (String id : lifecycle.renew(replica, List.copyOf(executing.keySet()), leaseUntil())) {
                cancelHere(id);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not renew the leases of %d runs: %s", executing.size(), e.toString());
        }
    }

    @Scheduled(every = "${meridian.assistants.runs.sweep-interval:2S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "run-sweep")
    void sweep() {
        try {
            int room = config.maxConcurrent() - executing.size();
            if (room > 0) {
                lifecycle.claimOrphans(replica, leaseUntil(), Math.min(room, 50)).forEach(id -> start(id));
            }
            for (String id : lifecycle.lapsed(RunEntity.IN_PROGRESS)) {
                LOG.warnf("Run %s lost its executing replica; failing it", id);
                publish(id, lifecycle.fail(id, ChatFailure.SERVER_ERROR, "The server executing this run stopped before"
                        + " it finished. Please create a new run."));
            }
            for (String id : lifecycle.lapsed(RunEntity.CANCELLING)) {
                publish(id, lifecycle.cancelled(id));
            }
            for (String id : lifecycle.overdue()) {
                publish(id, lifecycle.expire(id));
            }
        } catch (RuntimeException e) {
            LOG.warnf("Run sweep failed: %s", e.toString());
        }
    }

    void onStop(@jakarta.enterprise.event.Observes ShutdownEvent stop) {
        // in-flight runs keep their leases until they lapse; another replica then fails or takes them over
        executing.values().forEach(Execution::abandon);
    }

    private void publish(String runId, List<RunStream.Frame> frames) {
        for (RunStream.Frame frame : frames) {
            streams.emit(runId, frame.event(), frame.data());
        }
        if (!frames.isEmpty()) {
            streams.end(runId);
        }
    }

    /** One turn of one run on this replica: from the claim to the next status. */
    private final class Execution {

        private final String runId;
        private final AtomicBoolean ended = new AtomicBoolean();
        /** Whether the cancelled ending was taken: only its first taker may end the run (see {@link #endCancelled}). */
        private final AtomicBoolean cancelEnding = new AtomicBoolean();
        private volatile boolean cancelRequested;
        private volatile Cancellable subscription;
        private RunLifecycle.Turn turn;

        private String messageId;
        private String messageStepId;
        private final StringBuilder text = new StringBuilder();
        private String toolStepId;
        private final Map<Integer, String[]> calls = new TreeMap<>();
        private String finishReason;
        private int promptTokens;
        private int completionTokens;

        Execution(String runId) {
            this.runId = runId;
        }

        /** @param begun the turn as its claiming transaction began it, or null to begin it here */
        void begin(RunLifecycle.Turn begun) {
            try {
                turn = begun != null ? begun : lifecycle.begin(runId, replica);
                if (turn == null) {
                    end(lifecycle.settleCancelling(runId, replica));
                    return;
                }
                if (turn.started()) {
                    streams.emit(runId, "thread.run.in_progress", turn.run());
                }
                if (cancelRequested) {
                    endCancelled();
                    return;
                }
                subscription = engines.get(turn.binding().engine()).stream(turn.request(), turn.binding())
                        .emitOn(workers)
                        .subscribe().with(this::onEvent, this::onFailure, this::onComplete);
            } catch (RuntimeException e) {
                onFailure(e);
            }
        }

        private void onEvent(ChatEvent event) {
            if (ended.get() || cancelRequested) {
                return;
            }
            try {
                if (event instanceof ChatEvent.Text delta) {
                    onText(delta.delta());
                } else if (event instanceof ChatEvent.ToolCall call) {
                    onToolCall(call);
                } else if (event instanceof ChatEvent.Finished finished) {
                    finishReason = finished.reason();
                } else if (event instanceof ChatEvent.Usage usage) {
                    promptTokens = usage.promptTokens();
                    completionTokens = usage.completionTokens();
                }
            } catch (RuntimeException e) {
                Cancellable upstream = subscription;
                if (upstream != null) {
                    upstream.cancel();
                }
                onFailure(e);
            }
        }

        private void onText(String delta) {
            if (messageId == null) {
                messageId = Ids.next("msg");
                messageStepId = RunLifecycle.newStepId();
                // the first text is streamed with the message's frames while the message is stored, not after:
                // a failure to store it fails the run, whose stream then ends with thread.run.failed
                RunLifecycle.OpenedMessage opened = lifecycle.openMessage(turn, messageId, messageStepId);
                emit(opened.frames());
                delta(delta);
                lifecycle.store(opened);
                return;
            }
            delta(delta);
        }

        private void delta(String delta) {
            text.append(delta);
            if (streams.watched(runId)) {
                ObjectNode frame = json.createObjectNode().put("id", messageId).put("object", "thread.message.delta");
                ObjectNode part = frame.putObject("delta").putArray("content").addObject().put("index", 0).put("type", "text");
                part.putObject("text").put("value", delta).putArray("annotations");
                streams.emit(runId, "thread.message.delta", frame);
            }
        }

        private void onToolCall(ChatEvent.ToolCall call) {
            if (toolStepId == null) {
                toolStepId = RunLifecycle.newStepId();
                emit(lifecycle.openToolStep(runId, toolStepId));
            }
            String[] accumulated = calls.get(call.index());
            boolean first = accumulated == null;
            if (first) {
                accumulated = new String[] {call.id() == null ? Ids.next("call") : call.id(), "", ""};
                calls.put(call.index(), accumulated);
            }
            if (call.name() != null) {
                accumulated[1] += call.name();
            }
            accumulated[2] += call.arguments();
            if (streams.watched(runId)) {
                ObjectNode frame = json.createObjectNode().put("id", toolStepId).put("object", "thread.run.step.delta");
                ObjectNode details = frame.putObject("delta").putObject("step_details").put("type", "tool_calls");
                ObjectNode delta = details.putArray("tool_calls").addObject().put("index", call.index());
                if (first) {
                    delta.put("id", accumulated[0]).put("type", "function");
                }
                ObjectNode function = delta.putObject("function");
                if (call.name() != null) {
                    function.put("name", call.name());
                }
                function.put("arguments", call.arguments());
                if (first) {
                    function.putNull("output");
                }
                streams.emit(runId, "thread.run.step.delta", frame);
            }
        }

        private void onComplete() {
            try {
                if (cancelRequested) {
                    endCancelled();
                    return;
                }
                if (finishReason == null) {
                    // a stream that ends without saying why was cut: what came may be half an answer
                    onFailure(ChatFailure.server("The model server's stream ended before the answer was complete."));
                    return;
                }
                if (messageId == null && calls.isEmpty()) {
                    // an empty answer is still an answer: the thread gets an (empty) assistant message
                    onText("");
                }
                List<RunLifecycle.Call> made = new ArrayList<>();
                calls.values().forEach(call -> made.add(new RunLifecycle.Call(call[0], call[1], call[2])));
                RunLifecycle.TurnResult result = new RunLifecycle.TurnResult(messageId, messageStepId, text.toString(),
                        calls.isEmpty() ? null : toolStepId, made, finishReason, promptTokens, completionTokens);
                end(stored(() -> lifecycle.finish(runId, replica, result)));
                settle(promptTokens + completionTokens);
            } catch (RuntimeException e) {
                // the answer could not be stored (the database went away, say): the run fails, if that can be stored
                onFailure(e);
            }
        }

        private void onFailure(Throwable failure) {
            try {
                if (cancelRequested) {
                    endCancelled();
                    return;
                }
                ChatFailure chat = failure instanceof ChatFailure known ? known : null;
                if (chat == null) {
                    LOG.errorf(failure, "Run %s failed unexpectedly", runId);
                    chat = ChatFailure.server("The server failed while executing the run.");
                }
                String code = chat.code();
                String message = chat.getMessage();
                end(stored(() -> lifecycle.fail(runId, code, message)));
                settle(promptTokens + completionTokens);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Run %s could not be marked failed; its lease will lapse and the sweep will", runId);
                unrecorded();
            }
        }

        /**
         * What became of the run could not be stored (the database is away). This replica lets go of it, so its lease
         * lapses and a sweep, on any replica, fails it once the database answers; the run's streams here end now with
         * an {@code error} event instead of staying open until then.
         */
        private void unrecorded() {
            executing.remove(runId);
            if (ended.compareAndSet(false, true)) {
                streams.fail(runId, new ApiError(UNRECORDED, ErrorType.SERVER, null, null));
            }
        }

        /** The project's token budget learns what this turn used (a failure to settle never fails the run). */
        private void settle(long used) {
            try {
                budgets.used(runId, used);
            } catch (RuntimeException e) {
                LOG.warnf("Run %s: could not settle its %d tokens with the rate limits: %s", runId, used, e.toString());
            }
        }

        void cancel() {
            cancelRequested = true;
            Cancellable upstream = subscription;
            if (upstream != null) {
                upstream.cancel();
                workers.execute(this::endCancelled);
            }
        }

        void abandon() {
            ended.set(true);
            Cancellable upstream = subscription;
            if (upstream != null) {
                upstream.cancel();
            }
        }

        /**
         * Ends the run as cancelled, once. A cancel can reach a run twice (the request's own, and the heartbeat that finds
         * it cancelling) and race the upstream's end; the second transaction would find the run cancelled and end the
         * streams with nothing, and if it got there first the clients would miss {@code thread.run.cancelled}.
         */
        private void endCancelled() {
            if (cancelEnding.compareAndSet(false, true)) {
                try {
                    end(stored(() -> lifecycle.cancelled(runId)));
                } catch (RuntimeException e) {
                    // a second call would find the ending taken: this one lets go of the run
                    LOG.errorf(e, "Run %s could not be marked cancelled; its lease will lapse and the sweep will",
                            runId);
                    unrecorded();
                }
            }
        }

        /**
         * Stores the run's outcome, trying again ({@code outcome-attempts} in all, 100 ms apart and then twice as long
         * each time) when the database could not be reached (it restarted, say): the pool drops the connections the database closed meanwhile, so a later try
         * gets a sound one. Each outcome is safe to try again: it applies only to a run still active, and a run that a
         * lost commit did end is answered as it ended.
         */
        private List<RunStream.Frame> stored(Supplier<List<RunStream.Frame>> outcome) {
            for (int attempt = 1;; attempt++) {
                try {
                    return outcome.get();
                } catch (RuntimeException e) {
                    if (attempt >= config.outcomeAttempts() || !ErrorMappers.databaseUnavailable(e)) {
                        throw e;
                    }
                    LOG.warnf("Run %s: its outcome could not be stored (%s); trying again", runId, e.toString());
                    // connections that sat idle in the pool while the database restarted are closed without the pool
                    // knowing, and would each spend a try: it checks its idle ones and drops those first
                    dataSource.flush(AgroalDataSource.FlushMode.INVALID);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100L << (attempt - 1)));
                }
            }
        }

        private void emit(List<RunStream.Frame> frames) {
            for (RunStream.Frame frame : frames) {
                streams.emit(runId, frame.event(), frame.data());
            }
        }

        private void end(List<RunStream.Frame> frames) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            executing.remove(runId);
            emit(frames);
            streams.end(runId);
        }
    }
}
