package dev.meridian.assistants.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.assistants.engine.ChatBinding;
import dev.meridian.assistants.engine.ChatRequest;
import dev.meridian.assistants.entity.MessageEntity;
import dev.meridian.assistants.entity.RunEntity;
import dev.meridian.assistants.entity.RunStepEntity;
import dev.meridian.assistants.mapping.AssistantsMapper;
import dev.meridian.assistants.repository.MessageRepository;
import dev.meridian.assistants.repository.RunRepository;
import dev.meridian.assistants.repository.RunStepRepository;
import dev.meridian.assistants.api.MessageObject;
import dev.meridian.assistants.api.RunObject;
import dev.meridian.assistants.api.RunStepObject;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.id.Ids;

/**
 * Every status change of a run after its creation, each in one transaction with the run's row locked,
 * its steps and messages, and its event in the outbox. Each answers the stream frames the change makes,
 * in OpenAI's order, or nothing when the run is no longer this replica's to change.
 */
@ApplicationScoped
public class RunLifecycle {

    static final String SYSTEM = "system";

    @Inject
    RunRepository runs;

    @Inject
    RunStepRepository steps;

    @Inject
    MessageRepository messages;

    @Inject
    AssistantsEvents events;

    @Inject
    Prompts prompts;

    @Inject
    ObjectMapper json;

    /** A turn to execute: the run as it now is, whether it just left {@code queued}, the request, the binding. */
    public record Turn(RunObject run, String org, String project, boolean started, ChatRequest request,
            ChatBinding binding) {
    }

    /** The message a turn writes into and its {@code message_creation} step, not yet stored, and their frames. */
    public record OpenedMessage(MessageEntity message, RunStepEntity step, List<RunStream.Frame> frames) {
    }

    /** A tool call as the model made it. */
    public record Call(String id, String name, String arguments) {
    }

    /** How a turn ended. Ids are null for what the turn did not open. */
    public record TurnResult(String messageId, String messageStepId, String text, String toolStepId, List<Call> calls,
            String finishReason, int promptTokens, int completionTokens) {
    }

    @Transactional
    public Turn begin(String runId, String replica) {
        replayable();
        RunEntity run = runs.lock(runId).orElse(null);
        if (run == null || !replica.equals(run.leaseOwner)
                || !(RunEntity.QUEUED.equals(run.status) || RunEntity.IN_PROGRESS.equals(run.status))) {
            return null;
        }
        return start(run);
    }

    /**
     * Starts the turn of a run this replica claimed in the transaction that queues it (a new run, or one given its tool
     * outputs) and executes at once: the turn then needs no transaction of its own before the model is asked, as
     * {@link #begin} does for a run taken over or resumed. The caller holds the run's lock or created it.
     */
    public Turn startClaimed(RunEntity run, List<MessageEntity> threadMessages) {
        return start(run, threadMessages);
    }

    private Turn start(RunEntity run) {
        return start(run, null);
    }

    /** @param threadMessages the thread's messages when the caller has them all (a thread it created), else null */
    private Turn start(RunEntity run, List<MessageEntity> threadMessages) {
        boolean started = RunEntity.QUEUED.equals(run.status);
        // a run that never started has made no tool calls: its prompt needs no look at its steps
        boolean firstTurn = run.startedAt == null;
        if (started) {
            run.status = RunEntity.IN_PROGRESS;
            if (run.startedAt == null) {
                run.startedAt = now();
            }
        }
        return new Turn(AssistantsMapper.toObject(run), run.orgId, run.projectId, started,
                prompts.build(run, firstTurn, threadMessages),
                new ChatBinding(run.engine, run.upstreamModel, run.upstreamBaseUrl, run.upstreamCredential));
    }

    /** Cancels a run this replica claimed that was asked to cancel before its turn began. */
    @Transactional
    public List<RunStream.Frame> settleCancelling(String runId, String replica) {
        RunEntity run = runs.lock(runId).orElse(null);
        return run != null && RunEntity.CANCELLING.equals(run.status) && replica.equals(run.leaseOwner) ? cancelled(run)
                : List.of();
    }

    /**
     * The message the turn writes into, and its {@code message_creation} step, as their frames show them: built without
     * the database, so that the turn's first text can be streamed while {@link #store} writes them.
     */
    public OpenedMessage openMessage(Turn turn, String messageId, String stepId) {
        RunObject run = turn.run();
        MessageEntity message = new MessageEntity();
        message.id = messageId;
        message.orgId = turn.org();
        message.projectId = turn.project();
        message.threadId = run.threadId();
        message.createdAt = now();
        message.status = RunEntity.IN_PROGRESS;
        message.role = "assistant";
        message.content = json.createArrayNode();
        message.assistantId = run.assistantId();
        message.runId = run.id();
        message.attachments = List.of();
        message.metadata = Map.of();
        ObjectNode details = json.createObjectNode().put("type", RunStepObject.MESSAGE_CREATION);
        details.putObject("message_creation").put("message_id", messageId);
        RunStepEntity step = newStep(turn.org(), turn.project(), run.id(), run.threadId(), run.assistantId(), stepId,
                RunStepObject.MESSAGE_CREATION, details);
        RunStepObject stepObject = AssistantsMapper.toObject(step);
        MessageObject messageObject = AssistantsMapper.toObject(message);
        return new OpenedMessage(message, step, List.of(new RunStream.Frame("thread.run.step.created", stepObject),
                new RunStream.Frame("thread.run.step.in_progress", stepObject),
                new RunStream.Frame("thread.message.created", messageObject),
                new RunStream.Frame("thread.message.in_progress", messageObject)));
    }

    /**
     * Stores an opened message and its step (the turn's end, which completes them, waits for this). It takes the run's
     * lock, as a cancel does, so that a cancel arriving meanwhile closes the message rather than missing it.
     */
    @Transactional
    public void store(OpenedMessage opened) {
        replayable();
        MessageEntity message = opened.message();
        runs.lock(message.runId).orElseThrow();
        messages.persist(message);
        steps.persist(opened.step());
        events.publish(EventTypes.MESSAGE_CREATED, message.id, message.orgId, message.threadId, SYSTEM,
                AssistantsMapper.toEventObject(message));
    }

    /** Opens the {@code tool_calls} step the turn's calls go into. */
    @Transactional
    public List<RunStream.Frame> openToolStep(String runId, String stepId) {
        replayable();
        RunEntity run = runs.lock(runId).orElseThrow();
        ObjectNode details = json.createObjectNode().put("type", RunStepObject.TOOL_CALLS);
        details.putArray("tool_calls");
        RunStepObject step = AssistantsMapper.toObject(step(run, stepId, RunStepObject.TOOL_CALLS, details));
        return List.of(new RunStream.Frame("thread.run.step.created", step),
                new RunStream.Frame("thread.run.step.in_progress", step));
    }

    /** Applies a turn's end: the message, the steps, and the run's next status. */
    @Transactional
    public List<RunStream.Frame> finish(String runId, String replica, TurnResult result) {
        RunEntity run = runs.lock(runId).orElse(null);
        if (run == null || !replica.equals(run.leaseOwner) || !RunEntity.IN_PROGRESS.equals(run.status)) {
            return run != null && RunEntity.CANCELLING.equals(run.status) ? cancelled(run) : asEnded(run);
        }
        long now = now();
        run.promptTokens += result.promptTokens();
        run.completionTokens += result.completionTokens();
        ObjectNode usage = json.createObjectNode().put("prompt_tokens", result.promptTokens())
                .put("completion_tokens", result.completionTokens()).put("total_tokens",
                        result.promptTokens() + result.completionTokens());
        boolean length = "length".equals(result.finishReason());
        List<RunStream.Frame> frames = new ArrayList<>();
        if (result.messageId() != null) {
            MessageEntity message = messages.findInThread(result.messageId(), run.threadId).orElseThrow();
            message.content = RequestRules.textContent(result.text());
            if (length) {
                message.status = RunEntity.INCOMPLETE;
                message.incompleteAt = now;
                message.incompleteDetails = json.createObjectNode().put("reason", "max_tokens");
            } else {
                message.status = RunEntity.COMPLETED;
                message.completedAt = now;
            }
            frames.add(new RunStream.Frame(length ? "thread.message.incomplete" : "thread.message.completed",
                    AssistantsMapper.toObject(message)));
            RunStepEntity step = steps.findInRun(result.messageStepId(), run.id).orElseThrow();
            step.status = RunEntity.COMPLETED;
            step.completedAt = now;
            step.usage = result.toolStepId() == null ? usage : null;
            frames.add(new RunStream.Frame("thread.run.step.completed", AssistantsMapper.toObject(step)));
        }
        if (result.toolStepId() != null) {
            RunStepEntity step = steps.findInRun(result.toolStepId(), run.id).orElseThrow();
            ArrayNode calls = json.createArrayNode();
            ArrayNode required = json.createArrayNode();
            for (Call call : result.calls()) {
                ObjectNode stepCall = calls.addObject().put("id", call.id()).put("type", "function");
                stepCall.putObject("function").put("name", call.name()).put("arguments", call.arguments()).putNull("output");
                ObjectNode requiredCall = required.addObject().put("id", call.id()).put("type", "function");
                requiredCall.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
            step.stepDetails = json.createObjectNode().put("type", RunStepObject.TOOL_CALLS).set("tool_calls", calls);
            step.usage = usage;
            if (!length) {
                run.status = RunEntity.REQUIRES_ACTION;
                ObjectNode action = json.createObjectNode().put("type", "submit_tool_outputs");
                action.putObject("submit_tool_outputs").set("tool_calls", required);
                run.requiredAction = action;
                release(run);
                RunObject object = AssistantsMapper.toObject(run);
                events.publish(EventTypes.RUN_REQUIRES_ACTION, run.id, run.orgId, run.threadId, SYSTEM, object);
                frames.add(new RunStream.Frame("thread.run.requires_action", object));
                return frames;
            }
            // cut short while calling tools: the calls cannot be trusted, nothing will answer them
            end(step, RunEntity.CANCELLED, now, null);
        }
        String reason = length ? "max_completion_tokens"
                : run.maxPromptTokens != null && run.promptTokens > run.maxPromptTokens ? "max_prompt_tokens" : null;
        if (reason != null) {
            run.status = RunEntity.INCOMPLETE;
            run.incompleteDetails = json.createObjectNode().put("reason", reason);
        } else {
            run.status = RunEntity.COMPLETED;
            run.completedAt = now;
        }
        return terminal(run, frames);
    }

    /** Fails the run (unless it already ended): open steps fail with the error, an open message is left incomplete. */
    @Transactional
    public List<RunStream.Frame> fail(String runId, String code, String message) {
        RunEntity run = runs.lock(runId).orElse(null);
        if (run == null || !run.active()) {
            return asEnded(run);
        }
        long now = now();
        ObjectNode error = json.createObjectNode().put("code", code).put("message", message);
        List<RunStream.Frame> frames = endSteps(run, RunEntity.FAILED, now, error);
        closeMessages(run, "run_failed", now);
        run.status = RunEntity.FAILED;
        run.failedAt = now;
        run.lastError = error;
        return terminal(run, frames);
    }

    /** Ends a run being cancelled (or still executing) as {@code cancelled}. */
    @Transactional
    public List<RunStream.Frame> cancelled(String runId) {
        RunEntity run = runs.lock(runId).orElse(null);
        return run == null || !run.active() ? asEnded(run) : cancelled(run);
    }

    /**
     * How a run that ended without this transaction ended, for the streams still open on it: its turn committed though
     * the commit's answer was lost, or a sweep failed it while the model still answered here. Nothing for a run that
     * is still active (or gone).
     */
    private static List<RunStream.Frame> asEnded(RunEntity run) {
        return run == null || run.active() ? List.of()
                : List.of(new RunStream.Frame("thread.run." + run.status, AssistantsMapper.toObject(run)));
    }

    List<RunStream.Frame> cancelled(RunEntity run) {
        long now = now();
        List<RunStream.Frame> frames = endSteps(run, RunEntity.CANCELLED, now, null);
        closeMessages(run, "run_cancelled", now);
        run.status = RunEntity.CANCELLED;
        run.cancelledAt = now;
        run.requiredAction = null;
        return terminal(run, frames);
    }

    /** Expires a run that waited too long (for tool outputs, or queued with no replica free). */
    @Transactional
    public List<RunStream.Frame> expire(String runId) {
        RunEntity run = runs.lock(runId).orElse(null);
        if (run == null || !(RunEntity.REQUIRES_ACTION.equals(run.status) || RunEntity.QUEUED.equals(run.status))) {
            return List.of();
        }
        long now = now();
        List<RunStream.Frame> frames = endSteps(run, RunEntity.EXPIRED, now, null);
        run.status = RunEntity.EXPIRED;
        run.requiredAction = null;
        return terminal(run, frames);
    }

    /** Renews this replica's leases; answers the runs that were asked to cancel meanwhile. */
    @Transactional
    public List<String> renew(String replica, List<String> ids, long until) {
        return runs.renew(replica, ids, until);
    }

    /** Claims queued runs nobody holds (their replica died, or had no room) for this replica. */
    @Transactional
    public List<String> claimOrphans(String replica, long until, int room) {
        List<String> ids = runs.lapsed(RunEntity.QUEUED, System.currentTimeMillis(), room);
        for (String id : ids) {
            RunEntity run = runs.lock(id).orElseThrow();
            run.leaseOwner = replica;
            run.leaseUntil = until;
        }
        return ids;
    }

    /** Runs whose executing replica stopped renewing: in progress ones fail, cancelling ones end cancelled. */
    @Transactional
    public List<String> lapsed(String status) {
        return runs.lapsed(status, System.currentTimeMillis(), 100);
    }

    @Transactional
    public List<String> overdue() {
        return runs.overdue(now(), 100);
    }

    /**
     * Lets this transaction commit without waiting for its WAL flush. Only for the steps a crash may undo
     * harmlessly: starting a turn and opening its message or step. Lost, the run is back to {@code queued}
     * under the dead replica's lease, which lapses, and the sweep executes it again from the start; the
     * opened message and its outbox event vanish together. The creation and a turn's end stay durable, and
     * their commits flush these ones too (the WAL is written in order).
     */
    private void replayable() {
        runs.getEntityManager().createNativeQuery("set local synchronous_commit to off").executeUpdate();
    }

    private List<RunStream.Frame> terminal(RunEntity run, List<RunStream.Frame> frames) {
        if (!RunEntity.REQUIRES_ACTION.equals(run.status)) {
            run.expiresAt = null;
        }
        release(run);
        RunObject object = AssistantsMapper.toObject(run);
        events.publish("meridian.run." + run.status, run.id, run.orgId, run.threadId, SYSTEM, object);
        frames.add(new RunStream.Frame("thread.run." + run.status, object));
        return frames;
    }

    /** Ends the run's open steps as {@code status} ({@code failed} with {@code error}); answers their frames. */
    private List<RunStream.Frame> endSteps(RunEntity run, String status, long now, ObjectNode error) {
        List<RunStream.Frame> frames = new ArrayList<>();
        for (RunStepEntity step : steps.list("runId = ?1 and status = ?2", run.id, RunEntity.IN_PROGRESS)) {
            end(step, status, now, error);
            frames.add(new RunStream.Frame("thread.run.step." + status, AssistantsMapper.toObject(step)));
        }
        return frames;
    }

    private static void end(RunStepEntity step, String status, long now, ObjectNode error) {
        step.status = status;
        switch (status) {
            case RunEntity.FAILED -> {
                step.failedAt = now;
                step.lastError = error;
            }
            case RunEntity.CANCELLED -> step.cancelledAt = now;
            case RunEntity.EXPIRED -> step.expiredAt = now;
            default -> throw new IllegalArgumentException("a step does not end " + status);
        }
    }

    private static void release(RunEntity run) {
        run.leaseOwner = null;
        run.leaseUntil = null;
    }

    private void closeMessages(RunEntity run, String reason, long now) {
        for (MessageEntity message : messages.list("runId = ?1 and threadId = ?2 and status = ?3", run.id, run.threadId,
                RunEntity.IN_PROGRESS)) {
            message.status = RunEntity.INCOMPLETE;
            message.incompleteAt = now;
            message.incompleteDetails = json.createObjectNode().put("reason", reason);
        }
    }

    private RunStepEntity step(RunEntity run, String stepId, String type, ObjectNode details) {
        RunStepEntity step = newStep(run.orgId, run.projectId, run.id, run.threadId, run.assistantId, stepId, type, details);
        steps.persist(step);
        return step;
    }

    private static RunStepEntity newStep(String org, String project, String runId, String threadId, String assistantId,
            String stepId, String type, ObjectNode details) {
        RunStepEntity step = new RunStepEntity();
        step.id = stepId;
        step.orgId = org;
        step.projectId = project;
        step.runId = runId;
        step.threadId = threadId;
        step.assistantId = assistantId;
        step.createdAt = now();
        step.type = type;
        step.status = RunEntity.IN_PROGRESS;
        step.stepDetails = details;
        step.metadata = Map.of();
        return step;
    }

    static String newStepId() {
        return Ids.next("step");
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }
}
