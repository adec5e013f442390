package dev.meridian.assistants.service;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.assistants.engine.ChatRequest;
import dev.meridian.assistants.entity.MessageEntity;
import dev.meridian.assistants.entity.RunEntity;
import dev.meridian.assistants.entity.RunStepEntity;
import dev.meridian.assistants.repository.MessageRepository;
import dev.meridian.assistants.repository.RunStepRepository;
import dev.meridian.assistants.api.RunStepObject;
import dev.meridian.assistants.api.Tool;

/**
 * Builds a run's next chat turn: the effective instructions as the system message, the thread's messages
 * (after {@code truncation_strategy}), then the run's tool calls with their outputs.
 */
@ApplicationScoped
class Prompts {

    /** Characters per token, for the estimate that {@code auto} truncation fits to {@code max_prompt_tokens}. */
    static final int CHARS_PER_TOKEN = 4;

    @Inject
    MessageRepository messages;

    @Inject
    RunStepRepository steps;

    @Inject
    ObjectMapper json;

    /**
     * @param firstTurn the run has not started before, so it has no steps (no tool calls to replay)
     * @param threadMessages the thread's messages in order when the caller has them all, or null to read them
     */
    ChatRequest build(RunEntity run, boolean firstTurn, List<MessageEntity> threadMessages) {
        List<ObjectNode> thread = new ArrayList<>();
        List<MessageEntity> all = threadMessages != null ? threadMessages
                : messages.forPrompt(run.threadId);
        for (MessageEntity message : all) {
            ObjectNode chat = chatMessage(message);
            if (chat != null) {
                thread.add(chat);
            }
        }
        thread = truncate(thread, run);
        List<ObjectNode> out = new ArrayList<>(thread.size() + 4);
        if (!run.instructions.isEmpty()) {
            out.add(json.createObjectNode().put("role", "system").put("content", run.instructions));
        }
        out.addAll(thread);
        for (RunStepEntity step : firstTurn ? List.<RunStepEntity>of() : steps.ofRun(run.id)) {
            if (RunStepObject.TOOL_CALLS.equals(step.type) && !"in_progress".equals(step.status)) {
                addToolExchange(step, out);
            }
        }
        List<ObjectNode> tools = new ArrayList<>();
        for (Tool tool : run.tools) {
            if (Tool.FUNCTION.equals(tool.type())) {
                tools.add(json.createObjectNode().put("type", "function").set("function", json.valueToTree(tool.function())));
            }
        }
        Integer maxTokens = run.maxCompletionTokens == null ? null
                : Math.max(1, run.maxCompletionTokens - run.completionTokens);
        JsonNode format = run.responseFormat;
        boolean plain = format == null || format.isTextual() || "text".equals(format.path("type").asText());
        return new ChatRequest(run.upstreamModel == null ? run.model : run.upstreamModel, out, tools,
                tools.isEmpty() ? null : run.toolChoice, run.parallelToolCalls, run.temperature, run.topP, maxTokens,
                plain ? null : format);
    }

    private List<ObjectNode> truncate(List<ObjectNode> thread, RunEntity run) {
        JsonNode strategy = run.truncationStrategy;
        if ("last_messages".equals(strategy.path("type").asText()) && strategy.path("last_messages").isInt()) {
            int keep = strategy.path("last_messages").asInt();
            return thread.size() <= keep ? thread : new ArrayList<>(thread.subList(thread.size() - keep, thread.size()));
        }
        if (run.maxPromptTokens == null) {
            return thread;
        }
        long budget = (long) run.maxPromptTokens * CHARS_PER_TOKEN - run.instructions.length();
        long used = thread.stream().mapToLong(message -> message.toString().length()).sum();
        int from = 0;
        // keep the newest message whatever its size: a prompt without the question is useless
        while (used > budget && from < thread.size() - 1) {
            used -= thread.get(from++).toString().length();
        }
        return from == 0 ? thread : new ArrayList<>(thread.subList(from, thread.size()));
    }

    /** A thread message as chat-completions takes it; null when nothing of it can be sent (only files). */
    private ObjectNode chatMessage(MessageEntity message) {
        ArrayNode parts = json.createArrayNode();
        StringBuilder text = new StringBuilder();
        boolean images = false;
        for (JsonNode part : message.content) {
            switch (part.path("type").asText()) {
                case "text" -> {
                    String value = part.path("text").path("value").asText();
                    text.append(text.isEmpty() ? "" : "\n").append(value);
                    parts.addObject().put("type", "text").put("text", value);
                }
                case "image_url" -> {
                    images = true;
                    parts.addObject().put("type", "image_url").set("image_url", part.path("image_url").deepCopy());
                }
                default -> {
                    // image_file parts need a Files API this server does not have; the model is not sent them
                }
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        ObjectNode chat = json.createObjectNode().put("role", message.role);
        // text-only models (and servers) take a plain string; parts only where there is an image
        return images && "user".equals(message.role) ? chat.set("content", parts) : chat.put("content", text.toString());
    }

    private void addToolExchange(RunStepEntity step, List<ObjectNode> out) {
        ObjectNode assistant = json.createObjectNode().put("role", "assistant");
        assistant.putNull("content");
        ArrayNode calls = assistant.putArray("tool_calls");
        List<ObjectNode> results = new ArrayList<>();
        for (JsonNode call : step.stepDetails.path("tool_calls")) {
            JsonNode function = call.path("function");
            ObjectNode chatCall = calls.addObject().put("id", call.path("id").asText()).put("type", "function");
            chatCall.putObject("function").put("name", function.path("name").asText())
                    .put("arguments", function.path("arguments").asText());
            results.add(json.createObjectNode().put("role", "tool").put("tool_call_id", call.path("id").asText())
                    .put("content", function.path("output").asText("")));
        }
        out.add(assistant);
        out.addAll(results);
    }
}
