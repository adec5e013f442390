package dev.meridian.assistants.engine;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One chat-completions turn as the engines take it, already in the chat-completions wire shape.
 *
 * @param model the model to ask the upstream for (the catalog's {@code upstream_model}, else the model id)
 * @param messages system, user, assistant and tool messages, oldest first
 * @param tools function tools as chat-completions declares them; empty for none
 * @param toolChoice {@code "none"}, {@code "auto"}, {@code "required"} or a named function; null with no tools
 * @param maxTokens the completion tokens this turn may use, or null for no limit
 * @param responseFormat a chat-completions {@code response_format}, or null to leave the upstream's default
 */
public record ChatRequest(
        String model,
        List<ObjectNode> messages,
        List<ObjectNode> tools,
        JsonNode toolChoice,
        boolean parallelToolCalls,
        Double temperature,
        Double topP,
        Integer maxTokens,
        JsonNode responseFormat) {
}
