package dev.meridian.assistants.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.meridian.assistants.config.RunsConfig;
import dev.meridian.assistants.entity.AssistantEntity;
import dev.meridian.assistants.entity.MessageEntity;
import dev.meridian.assistants.entity.RunEntity;
import dev.meridian.assistants.entity.RunStepEntity;
import dev.meridian.assistants.entity.ThreadEntity;
import dev.meridian.assistants.mapping.AssistantsMapper;
import dev.meridian.assistants.repository.AssistantRepository;
import dev.meridian.assistants.repository.RunRepository;
import dev.meridian.assistants.repository.RunStepRepository;
import dev.meridian.assistants.repository.ThreadRepository;
import dev.meridian.catalog.ModelCatalog;
import dev.meridian.common.api.ListResponse;
import dev.meridian.assistants.api.MessageRequest;
import dev.meridian.assistants.api.RunObject;
import dev.meridian.assistants.api.RunRequest;
import dev.meridian.assistants.api.RunStepObject;
import dev.meridian.assistants.api.ThreadAndRunRequest;
import dev.meridian.assistants.api.ThreadObject;
import dev.meridian.assistants.api.Tool;
import dev.meridian.assistants.api.ToolOutputsRequest;
import dev.meridian.common.api.models.Capability;
import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.id.Ids;
import dev.meridian.common.page.Page;
import dev.meridian.common.page.PageRequest;
import dev.meridian.common.security.Caller;
import dev.meridian.ratelimit.RateLimiter;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Runs and run steps of the caller's org: creating a run (with its thread, or with messages to add first),
 * reading, modifying metadata, answering tool calls and cancelling. Execution is {@link RunExecutor}'s.
 */
@ApplicationScoped
public class Runs {

    /** The only {@code include[]} value OpenAI defines for steps; it concerns file search, which never runs here. */
    static final String FILE_SEARCH_CONTENT = "step_details.tool_calls[*].file_search.results[*].content";

    @Inject
    RunRepository runs;

    @Inject
    RateLimiter limiter;

    @Inject
    RunBudgets budgets;

    @Inject
    RunStepRepository steps;

    @Inject
    ThreadRepository threads;

    @Inject
    AssistantRepository assistants;

    @Inject
    Threads threadService;

    @Inject
    Messages messages;

    @Inject
    RequestRules rules;

    @Inject
    ModelCatalog catalog;

    @Inject
    AssistantsEvents events;

    @Inject
    RunExecutor executor;

    @Inject
    RunStreams streams;

    @Inject
    RunLifecycle lifecycle;

    @Inject
    RunsConfig config;

    @Inject
    ReadOnly readOnly;

    @Inject
    ObjectMapper json;

    /** A run as created or resumed, and its event stream when the caller asked for one. */
    public record Started(RunObject run, RunStream stream) {
    }

    /** A run as queued, and its first turn when this replica claimed it ({@link RunLifecycle#startClaimed}). */
    private record Claimed(RunObject run, RunLifecycle.Turn turn) {
    }

    public Started create(String threadId, ObjectNode body, Caller caller) throws JsonProcessingException {
        RunRequest request = rules.read(body, RunRequest.class);
        boolean stream = Boolean.TRUE.equals(request.stream());
        Claimed run = QuarkusTransaction.requiringNew().call(() -> {
            ThreadEntity thread = threads.lockOwned(threadId, caller.org(), caller.project())
                    .orElseThrow(() -> ApiException.notFound(null, "No thread found with id '" + threadId + "'.", null));
            return insert(thread, null, request, body, stream, caller);
        });
        return started(run, stream, created(run.run()));
    }

    /** The frames a new run's stream opens with. */
    private static List<RunStream.Frame> created(RunObject run) {
        return List.of(new RunStream.Frame("thread.run.created", run), new RunStream.Frame("thread.run.queued", run));
    }

    public Started createThreadAndRun(ObjectNode body, Caller caller) throws JsonProcessingException {
        for (String field : List.of("additional_messages", "additional_instructions")) {
            if (body.has(field)) {
                throw ApiException.invalid(field, "Unrecognized request argument supplied: " + field + ".");
            }
        }
        RunRequest request = rules.read(body, RunRequest.class);
        ThreadAndRunRequest extra = rules.read(body, ThreadAndRunRequest.class);
        JsonNode threadBody = body.get("thread");
        if (threadBody != null && !threadBody.isNull() && !threadBody.isObject()) {
            throw ApiException.invalid("thread", "Invalid type for 'thread': expected an object.");
        }
        RequestRules.toolResources(extra.toolResources());
        boolean stream = Boolean.TRUE.equals(request.stream());
        ThreadObject[] created = new ThreadObject[1];
        Claimed run = QuarkusTransaction.requiringNew().call(() -> {
            ObjectNode threadRequest = threadBody == null || threadBody.isNull() ? json.createObjectNode()
                    : (ObjectNode) threadBody.deepCopy();
            if (extra.toolResources() != null && !threadRequest.has("tool_resources")) {
                threadRequest.set("tool_resources", body.get("tool_resources"));
            }
            // a thread this transaction creates needs no lock and has no active run
            Threads.Created thread = prefixed("thread.", () -> threadService.insert(threadRequest, caller));
            created[0] = AssistantsMapper.toObject(thread.thread());
            return insert(thread.thread(), thread.messages(), request, body, stream, caller);
        });
        List<RunStream.Frame> frames = new ArrayList<>();
        frames.add(new RunStream.Frame("thread.created", created[0]));
        frames.addAll(created(run.run()));
        return started(run, stream, frames);
    }

    /** Reports a thread's own rules' failures under {@code thread.…}, where the caller sent them. */
    private static <T> T prefixed(String prefix, java.util.concurrent.Callable<T> call) throws Exception {
        try {
            return call.call();
        } catch (ApiException e) {
            if (e.param() == null || e.status() != 400) {
                throw e;
            }
            throw new ApiException(e.status(), e.type(), e.getMessage().replace("'" + e.param(), "'" + prefix + e.param()),
                    prefix + e.param(), e.code());
        }
    }

    /**
     * @param newThreadMessages for a thread created in this transaction (it cannot have an active run), its messages;
     *        null for an existing thread
     */
    private Claimed insert(ThreadEntity thread, List<MessageEntity> newThreadMessages, RunRequest request, ObjectNode body,
            boolean stream, Caller caller) {
        if (request.assistantId() == null || request.assistantId().isBlank()) {
            throw ApiException.invalid("assistant_id", "Missing required parameter: 'assistant_id'.");
        }
        AssistantEntity assistant = assistants.readOwned(request.assistantId(), caller.org(), caller.project()).orElseThrow(
                () -> ApiException.notFound("assistant_id", "No assistant found with id '" + request.assistantId() + "'.",
                        null));
        if (newThreadMessages == null) {
            runs.activeIn(thread.id).ifPresent(active -> {
                throw ApiException.invalid(null, "Thread " + thread.id + " already has an active run " + active.id + ".");
            });
        }
        boolean toolsOverridden = request.tools() != null;
        List<Tool> tools = toolsOverridden ? request.tools() : assistant.tools;
        RequestRules.tools(tools);
        RunRules.executable(tools, toolsOverridden);
        RequestRules.metadata(request.metadata(), "metadata");
        JsonNode format = request.responseFormat();
        RequestRules.responseFormat(format);
        JsonNode truncation = RunRules.truncation(request.truncationStrategy());
        JsonNode toolChoice = RunRules.toolChoice(request.toolChoice(), tools);
        List<MessageRequest> additional = request.additionalMessages() == null ? List.of() : request.additionalMessages();
        for (int i = 0; i < additional.size(); i++) {
            messages.check(additional.get(i), "additional_messages[" + i + "].");
        }
        String model = request.model() == null || request.model().isBlank() ? assistant.model : request.model();
        CatalogModel binding = catalog.require(model, Capability.CHAT, "Assistants API", caller);

        List<MessageEntity> threadMessages = newThreadMessages == null ? null : new ArrayList<>(newThreadMessages);
        for (int i = 0; i < additional.size(); i++) {
            MessageEntity added = messages.add(thread, additional.get(i), "additional_messages[" + i + "].", caller);
            if (threadMessages != null) {
                threadMessages.add(added);
            }
        }
        RunEntity run = new RunEntity();
        run.id = Ids.next("run");
        run.orgId = caller.org();
        run.projectId = caller.project();
        run.threadId = thread.id;
        run.assistantId = assistant.id;
        run.createdAt = RunLifecycle.now();
        run.status = RunEntity.QUEUED;
        run.expiresAt = run.createdAt + config.expiresAfter().toSeconds();
        run.model = model;
        String instructions = request.instructions() != null ? request.instructions()
                : assistant.instructions == null ? "" : assistant.instructions;
        String extra = request.additionalInstructions();
        run.instructions = extra == null || extra.isEmpty() ? instructions
                : instructions.isEmpty() ? extra : instructions + "\n\n" + extra;
        run.tools = List.copyOf(tools);
        run.metadata = request.metadata() == null ? Map.of() : request.metadata();
        run.temperature = body.hasNonNull("temperature") ? request.temperature() : assistant.temperature;
        run.topP = body.hasNonNull("top_p") ? request.topP() : assistant.topP;
        run.maxPromptTokens = request.maxPromptTokens();
        run.maxCompletionTokens = request.maxCompletionTokens();
        run.truncationStrategy = truncation;
        run.toolChoice = toolChoice;
        run.parallelToolCalls = request.parallelToolCalls() == null || request.parallelToolCalls();
        run.responseFormat = format != null && !format.isNull() ? format
                : assistant.responseFormat == null ? TextNode.valueOf("auto") : assistant.responseFormat;
        run.engine = binding.engine();
        run.upstreamModel = binding.upstreamModel();
        run.upstreamBaseUrl = binding.upstreamBaseUrl();
        run.upstreamCredential = binding.upstreamCredential();
        RateLimiter.Admission admission = limiter.admit(caller, model, Capability.CHAT.wireName(), 0,
                budgets.estimate(run.instructions + body.path("additional_messages"), run.maxCompletionTokens));
        boolean here = claim(run, stream);
        // as created (queued); a run claimed here starts in this same transaction, so it is stored in progress
        RunObject created = AssistantsMapper.toObject(run);
        // a new thread's messages are all known here: its prompt needs no query
        RunLifecycle.Turn turn = here ? lifecycle.startClaimed(run, threadMessages) : null;
        try {
            runs.persist(run);
            runs.flush();
            budgets.admitted(run.id, admission);
        } catch (PersistenceException e) {
            // the unique index run_one_active: only reachable if the thread lock were bypassed
            throw ApiException.invalid(null, "Thread " + thread.id + " already has an active run.");
        }
        events.publish(EventTypes.RUN_CREATED, run.id, run.orgId, run.threadId, caller.subject(), created);
        return new Claimed(created, turn);
    }

    /** A streamed run always executes here; otherwise here if there is room, else on whichever replica sweeps first. */
    private boolean claim(RunEntity run, boolean stream) {
        if (stream || executor.hasRoom()) {
            run.leaseOwner = executor.replica();
            run.leaseUntil = executor.leaseUntil();
            return true;
        }
        return false;
    }

    /** Opens the caller's stream with {@code first}, then lets the run execute here if this replica claimed it. */
    private Started started(Claimed claimed, boolean stream, List<RunStream.Frame> first) {
        RunObject run = claimed.run();
        RunStream events = null;
        if (stream) {
            events = streams.open(run.id());
            for (RunStream.Frame frame : first) {
                streams.emit(run.id(), frame.event(), frame.data());
            }
        }
        if (claimed.turn() != null) {
            executor.start(run.id(), claimed.turn());
        }
        return new Started(run, events);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ListResponse<RunObject> list(String threadId, PageRequest request, Caller caller) {
        readOnly.session();
        ThreadEntity thread = thread(threadId, caller);
        RunEntity cursor = request.cursor() == null ? null
                : runs.findInThread(request.cursor(), thread.id).orElseThrow(() -> Assistants.badCursor(request));
        return Page.of(request, runs.page(thread.id, request, cursor).stream().map(AssistantsMapper::toObject).toList(),
                RunObject::id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public RunObject get(String threadId, String runId, Caller caller) {
        readOnly.session();
        return AssistantsMapper.toObject(owned(threadId, runId, caller));
    }

    @Transactional
    public RunObject modify(String threadId, String runId, ObjectNode body, Caller caller) throws JsonProcessingException {
        RunEntity run = owned(threadId, runId, caller);
        RunRequest update = rules.read(body, RunRequest.class);
        RequestRules.metadata(update.metadata(), "metadata");
        if (body.has("metadata")) {
            run.metadata = update.metadata() == null ? Map.of() : update.metadata();
        }
        return AssistantsMapper.toObject(run);
    }

    public Started submitToolOutputs(String threadId, String runId, ObjectNode body, Caller caller)
            throws JsonProcessingException {
        ToolOutputsRequest request = rules.read(body, ToolOutputsRequest.class);
        boolean stream = Boolean.TRUE.equals(request.stream());
        RunStepObject[] answered = new RunStepObject[1];
        Claimed run = QuarkusTransaction.requiringNew().call(() -> {
            RunEntity entity = lockedOwned(threadId, runId, caller);
            if (!RunEntity.REQUIRES_ACTION.equals(entity.status)) {
                throw ApiException.invalid(null, "Runs in status \"" + entity.status + "\" do not accept tool outputs.");
            }
            answered[0] = answer(entity, request);
            entity.status = RunEntity.QUEUED;
            entity.requiredAction = null;
            boolean here = claim(entity, stream);
            RunObject queued = AssistantsMapper.toObject(entity);
            return new Claimed(queued, here ? lifecycle.startClaimed(entity, null) : null);
        });
        return started(run, stream, List.of(new RunStream.Frame("thread.run.step.completed", answered[0]),
                new RunStream.Frame("thread.run.queued", run.run())));
    }

    /** Records the outputs in the pending {@code tool_calls} step, which must be answered exactly. */
    private RunStepObject answer(RunEntity run, ToolOutputsRequest request) {
        if (request.toolOutputs() == null) {
            throw ApiException.invalid("tool_outputs", "Missing required parameter: 'tool_outputs'.");
        }
        List<String> given = new ArrayList<>();
        Map<String, String> outputs = new java.util.HashMap<>();
        for (int i = 0; i < request.toolOutputs().size(); i++) {
            ToolOutputsRequest.ToolOutput output = request.toolOutputs().get(i);
            if (output == null || output.toolCallId() == null) {
                throw ApiException.invalid("tool_outputs[" + i + "].tool_call_id",
                        "Missing required parameter: 'tool_outputs[" + i + "].tool_call_id'.");
            }
            given.add(output.toolCallId());
            outputs.put(output.toolCallId(), output.output() == null ? "" : output.output());
        }
        List<String> expected = new ArrayList<>();
        run.requiredAction.path("submit_tool_outputs").path("tool_calls").forEach(call -> expected.add(call.path("id").asText()));
        Set<String> unique = new HashSet<>(given);
        if (unique.size() != given.size() || !unique.equals(new HashSet<>(expected))) {
            throw ApiException.invalid("tool_outputs", "Expected tool outputs for call_ids " + quoted(expected) + ", got "
                    + quoted(given) + ".");
        }
        RunStepEntity step = steps.list("runId = ?1 and type = ?2 and status = ?3", run.id, RunStepObject.TOOL_CALLS,
                RunEntity.IN_PROGRESS).stream().findFirst().orElseThrow(() -> new IllegalStateException(
                        "run " + run.id + " requires action without an open tool_calls step"));
        ObjectNode details = step.stepDetails.deepCopy();
        for (JsonNode call : (ArrayNode) details.get("tool_calls")) {
            ((ObjectNode) call.get("function")).put("output", outputs.get(call.path("id").asText()));
        }
        step.stepDetails = details;
        step.status = RunEntity.COMPLETED;
        step.completedAt = RunLifecycle.now();
        return AssistantsMapper.toObject(step);
    }

    private static String quoted(List<String> ids) {
        return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    public RunObject cancel(String threadId, String runId, Caller caller) {
        List<RunStream.Frame> ended = new ArrayList<>();
        RunObject run = QuarkusTransaction.requiringNew().call(() -> {
            RunEntity entity = lockedOwned(threadId, runId, caller);
            if (!entity.active()) {
                throw ApiException.invalid(null, "Cannot cancel run with status '" + entity.status + "'.");
            }
            boolean executing = entity.leaseUntil != null && entity.leaseUntil > System.currentTimeMillis();
            if (RunEntity.CANCELLING.equals(entity.status)) {
                return AssistantsMapper.toObject(entity);
            }
            if (RunEntity.REQUIRES_ACTION.equals(entity.status) || !executing) {
                ended.addAll(lifecycle.cancelled(entity));
            } else {
                entity.status = RunEntity.CANCELLING;
                ended.add(new RunStream.Frame("thread.run.cancelling", AssistantsMapper.toObject(entity)));
            }
            return AssistantsMapper.toObject(entity);
        });
        for (RunStream.Frame frame : ended) {
            streams.emit(run.id(), frame.event(), frame.data());
        }
        if (RunEntity.CANCELLING.equals(run.status())) {
            // executing here: abort now; elsewhere: its replica sees the status at its next heartbeat
            executor.cancelHere(run.id());
        } else if (RunEntity.CANCELLED.equals(run.status())) {
            streams.end(run.id());
        }
        return run;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ListResponse<RunStepObject> listSteps(String threadId, String runId, PageRequest request, List<String> include,
            Caller caller) {
        readOnly.session();
        include(include);
        RunEntity run = owned(threadId, runId, caller);
        RunStepEntity cursor = request.cursor() == null ? null
                : steps.findInRun(request.cursor(), run.id).orElseThrow(() -> Assistants.badCursor(request));
        return Page.of(request, steps.page(run.id, request, cursor).stream().map(AssistantsMapper::toObject).toList(),
                RunStepObject::id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public RunStepObject getStep(String threadId, String runId, String stepId, List<String> include, Caller caller) {
        readOnly.session();
        include(include);
        RunEntity run = owned(threadId, runId, caller);
        return AssistantsMapper.toObject(steps.findInRun(stepId, run.id)
                .orElseThrow(() -> ApiException.notFound(null, "No run step found with id '" + stepId + "'.", null)));
    }

    private static void include(List<String> include) {
        for (int i = 0; include != null && i < include.size(); i++) {
            if (!FILE_SEARCH_CONTENT.equals(include.get(i))) {
                throw ApiException.invalid("include[" + i + "]", "Invalid value for 'include[" + i + "]': expected '"
                        + FILE_SEARCH_CONTENT + "', but got '" + include.get(i) + "'.");
            }
        }
    }

    private ThreadEntity thread(String threadId, Caller caller) {
        return threads.findOwned(threadId, caller.org(), caller.project())
                .orElseThrow(() -> ApiException.notFound(null, "No thread found with id '" + threadId + "'.", null));
    }

    private RunEntity owned(String threadId, String runId, Caller caller) {
        ThreadEntity thread = thread(threadId, caller);
        return runs.findInThread(runId, thread.id)
                .orElseThrow(() -> ApiException.notFound(null, "No run found with id '" + runId + "'.", null));
    }

    private RunEntity lockedOwned(String threadId, String runId, Caller caller) {
        ThreadEntity thread = thread(threadId, caller);
        return runs.lockInThread(runId, thread.id)
                .orElseThrow(() -> ApiException.notFound(null, "No run found with id '" + runId + "'.", null));
    }
}
