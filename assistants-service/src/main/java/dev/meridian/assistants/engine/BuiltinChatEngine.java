package dev.meridian.assistants.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.common.id.Ids;
import io.smallrye.mutiny.Multi;

/**
 * A stand-in chat engine for development and tests: deterministic, offline, and not a language model.
 * A token is a whitespace-separated word. It answers the last user message with {@code You said: <text>},
 * one token per delta; it calls the function tools whose names the message mentions (or, when
 * {@code tool_choice} requires a call, the named or first function) with {@code {"input": <text>}} as
 * arguments, streamed in small fragments; after tool results it reports them
 * ({@code The tools answered: <output>; …}). It stops at {@code maxTokens} with {@code length}.
 */
@ApplicationScoped
public class BuiltinChatEngine implements ChatEngine {

    public static final String NAME = "builtin";
    private static final Pattern WORDS = Pattern.compile("\\s+");
    private static final int ARGUMENT_FRAGMENT = 8;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Multi<ChatEvent> stream(ChatRequest request, ChatBinding binding) {
        return Multi.createFrom().iterable(answer(request));
    }

    List<ChatEvent> answer(ChatRequest request) {
        int promptTokens = 0;
        for (ObjectNode message : request.messages()) {
            promptTokens += tokens(text(message.get("content")));
            for (JsonNode call : message.path("tool_calls")) {
                promptTokens += tokens(call.path("function").path("arguments").asText());
            }
        }
        List<ChatEvent> events = new ArrayList<>();
        ObjectNode last = request.messages().isEmpty() ? null : request.messages().get(request.messages().size() - 1);
        if (last != null && "tool".equals(last.path("role").asText())) {
            List<String> outputs = new ArrayList<>();
            for (int i = request.messages().size() - 1; i >= 0 && "tool".equals(request.messages().get(i).path("role")
                    .asText()); i--) {
                outputs.add(0, request.messages().get(i).path("content").asText());
            }
            return say("The tools answered: " + String.join("; ", outputs), request, promptTokens, events);
        }
        String said = lastUserText(request.messages());
        List<String> calls = toolsToCall(request, said);
        if (calls.isEmpty()) {
            return say("You said: " + said, request, promptTokens, events);
        }
        int completionTokens = 0;
        for (int index = 0; index < calls.size(); index++) {
            String arguments = JsonNodeFactory.instance.objectNode().put("input", said).toString();
            completionTokens += tokens(arguments);
            events.add(new ChatEvent.ToolCall(index, Ids.next("call"), calls.get(index), ""));
            for (int at = 0; at < arguments.length(); at += ARGUMENT_FRAGMENT) {
                events.add(new ChatEvent.ToolCall(index, null, null,
                        arguments.substring(at, Math.min(arguments.length(), at + ARGUMENT_FRAGMENT))));
            }
        }
        events.add(new ChatEvent.Finished("tool_calls"));
        events.add(new ChatEvent.Usage(promptTokens, completionTokens));
        return events;
    }

    private static List<ChatEvent> say(String text, ChatRequest request, int promptTokens, List<ChatEvent> events) {
        String[] words = WORDS.split(text.strip());
        int limit = request.maxTokens() == null ? Integer.MAX_VALUE : request.maxTokens();
        int sent = Math.min(words.length, limit);
        for (int i = 0; i < sent; i++) {
            events.add(new ChatEvent.Text(i == 0 ? words[i] : " " + words[i]));
        }
        events.add(new ChatEvent.Finished(sent < words.length ? "length" : "stop"));
        events.add(new ChatEvent.Usage(promptTokens, sent));
        return events;
    }

    private static List<String> toolsToCall(ChatRequest request, String said) {
        if (request.tools().isEmpty() || request.toolChoice() == null || "none".equals(request.toolChoice().asText())) {
            return List.of();
        }
        List<String> names = request.tools().stream().map(tool -> tool.path("function").path("name").asText()).toList();
        JsonNode choice = request.toolChoice();
        if (choice.isObject()) {
            return List.of(choice.path("function").path("name").asText());
        }
        Set<String> mentioned = new LinkedHashSet<>();
        for (String word : WORDS.split(said)) {
            String bare = word.replaceAll("[^A-Za-z0-9_-]", "");
            if (names.contains(bare)) {
                mentioned.add(bare);
            }
        }
        List<String> calls = new ArrayList<>(mentioned);
        if (calls.isEmpty() && "required".equals(choice.asText())) {
            calls.add(names.get(0));
        }
        return request.parallelToolCalls() || calls.size() < 2 ? calls : calls.subList(0, 1);
    }

    private static String lastUserText(List<ObjectNode> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asText())) {
                return text(messages.get(i).get("content"));
            }
        }
        return "";
    }

    /** The text of chat message content: a string, or the text parts of an array. */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText())) {
                text.append(text.isEmpty() ? "" : " ").append(part.path("text").asText());
            }
        }
        return text.toString();
    }

    private static int tokens(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : WORDS.split(stripped).length;
    }
}
