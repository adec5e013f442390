package dev.meridian.assistants.engine;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Multi;

/**
 * Any server speaking OpenAI's chat-completions API (OpenAI, vLLM, Ollama, llama.cpp, LM Studio), streamed
 * with {@code stream_options.include_usage}. Tolerates what such servers do: usage only in the last chunk
 * or not at all, tool-call arguments split over many chunks and calls interleaved by {@code index},
 * chunks without choices, an {@code error} object in the stream.
 */
@ApplicationScoped
public class OpenAiCompatibleChatEngine implements ChatEngine {

    public static final String NAME = "openai-compatible";

    @Inject
    UpstreamChat upstream;

    @Inject
    ObjectMapper json;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Multi<ChatEvent> stream(ChatRequest request, ChatBinding binding) {
        ObjectNode body = json.createObjectNode();
        body.put("model", request.model());
        body.set("messages", json.valueToTree(request.messages()));
        if (!request.tools().isEmpty()) {
            body.set("tools", json.valueToTree(request.tools()));
            body.set("tool_choice", request.toolChoice());
            if (!request.parallelToolCalls()) {
                body.put("parallel_tool_calls", false);
            }
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            body.put("top_p", request.topP());
        }
        if (request.maxTokens() != null) {
            // the name every OpenAI-compatible server knows; OpenAI itself still takes it for chat models
            body.put("max_tokens", request.maxTokens());
        }
        if (request.responseFormat() != null) {
            body.set("response_format", request.responseFormat());
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return upstream.stream(body, binding).onItem().transformToIterable(this::events);
    }

    /** The events one chunk carries. */
    List<ChatEvent> events(String data) {
        JsonNode chunk;
        try {
            chunk = json.readTree(data);
        } catch (JsonProcessingException e) {
            throw ChatFailure.server("The model server sent a chunk that is not JSON.");
        }
        if (chunk.hasNonNull("error")) {
            JsonNode error = chunk.get("error");
            throw ChatFailure.server("The model server reported an error mid-stream: "
                    + (error.isTextual() ? error.asText() : error.path("message").asText("unknown error")));
        }
        List<ChatEvent> events = new ArrayList<>(2);
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue;
            }
            JsonNode delta = choice.path("delta");
            String content = delta.path("content").asText("");
            if (!content.isEmpty()) {
                events.add(new ChatEvent.Text(content));
            }
            for (JsonNode call : delta.path("tool_calls")) {
                JsonNode function = call.path("function");
                events.add(new ChatEvent.ToolCall(call.path("index").asInt(0), textOrNull(call.get("id")),
                        textOrNull(function.get("name")), function.path("arguments").asText("")));
            }
            String finish = textOrNull(choice.get("finish_reason"));
            if (finish != null) {
                events.add(new ChatEvent.Finished(finish));
            }
        }
        JsonNode usage = chunk.get("usage");
        if (usage != null && usage.isObject()) {
            events.add(new ChatEvent.Usage(usage.path("prompt_tokens").asInt(0), usage.path("completion_tokens").asInt(0)));
        }
        return events;
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }
}
