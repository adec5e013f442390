package dev.meridian.assistants.service;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.meridian.assistants.api.Tool;
import dev.meridian.common.error.ApiException;

/** The rules of a run's settings that Bean Validation on {@code RunRequest} cannot express. */
final class RunRules {

    static final Set<String> TOOL_CHOICES = Set.of("none", "auto", "required");

    private RunRules() {
    }

    /** The run's tools: every one must be executable here, or the run is refused naming {@code tools}. */
    static void executable(List<Tool> tools, boolean overridden) {
        for (Tool tool : tools) {
            if (!Tool.FUNCTION.equals(tool.type())) {
                throw ApiException.invalid("tools", "The '" + tool.type() + "' tool cannot run on this server yet: only"
                        + " 'function' tools can. Remove it from " + (overridden ? "the run's tools" : "the assistant's"
                                + " tools, or override them with the run's 'tools'") + ".", "unsupported_tool");
            }
        }
    }

    /** {@code {"type":"auto"|"last_messages","last_messages":n|null}}; null becomes the default, auto. */
    static JsonNode truncation(JsonNode strategy) {
        ObjectNode normal = JsonNodeFactory.instance.objectNode();
        if (strategy == null || strategy.isNull()) {
            return normal.put("type", "auto").putNull("last_messages");
        }
        if (!strategy.isObject()) {
            throw ApiException.invalid("truncation_strategy", "Invalid type for 'truncation_strategy': expected an object.");
        }
        JsonNode type = strategy.get("type");
        if (type == null || !type.isTextual()) {
            throw ApiException.invalid("truncation_strategy.type", "Missing required parameter: 'truncation_strategy.type'.");
        }
        JsonNode last = strategy.get("last_messages");
        boolean lastSet = last != null && !last.isNull();
        if (lastSet && (!last.canConvertToInt() || !last.isIntegralNumber())) {
            throw ApiException.invalid("truncation_strategy.last_messages",
                    "Invalid type for 'truncation_strategy.last_messages': expected an integer.");
        }
        switch (type.asText()) {
            case "auto" -> {
                if (lastSet) {
                    throw ApiException.invalid("truncation_strategy.last_messages", "Invalid"
                            + " 'truncation_strategy.last_messages': only the 'last_messages' strategy takes a number.");
                }
                return normal.put("type", "auto").putNull("last_messages");
            }
            case "last_messages" -> {
                if (!lastSet) {
                    throw ApiException.invalid("truncation_strategy.last_messages",
                            "Missing required parameter: 'truncation_strategy.last_messages'.");
                }
                if (last.asInt() < 1) {
                    throw ApiException.invalid("truncation_strategy.last_messages", "Invalid"
                            + " 'truncation_strategy.last_messages': integer below minimum value. Expected a value >= 1,"
                            + " but got " + last.asInt() + " instead.", "integer_below_min_value");
                }
                return normal.put("type", "last_messages").put("last_messages", last.asInt());
            }
            default -> throw ApiException.invalid("truncation_strategy.type", "Invalid value for"
                    + " 'truncation_strategy.type': expected one of 'auto', 'last_messages', but got '" + type.asText() + "'.");
        }
    }

    /** {@code none}, {@code auto}, {@code required} or a named function among {@code tools}; null becomes auto. */
    static JsonNode toolChoice(JsonNode choice, List<Tool> tools) {
        if (choice == null || choice.isNull()) {
            return TextNode.valueOf("auto");
        }
        if (choice.isTextual()) {
            if (!TOOL_CHOICES.contains(choice.asText())) {
                throw ApiException.invalid("tool_choice", "Invalid value for 'tool_choice': expected 'none', 'auto',"
                        + " 'required' or an object naming a tool, but got '" + choice.asText() + "'.");
            }
            if ("required".equals(choice.asText()) && tools.isEmpty()) {
                throw ApiException.invalid("tool_choice", "Invalid 'tool_choice': 'required' needs at least one tool.");
            }
            return choice;
        }
        if (!choice.isObject()) {
            throw ApiException.invalid("tool_choice", "Invalid type for 'tool_choice': expected a string or an object.");
        }
        String type = choice.path("type").asText("");
        if (!Tool.FUNCTION.equals(type)) {
            if (Tool.FILE_SEARCH.equals(type) || Tool.CODE_INTERPRETER.equals(type)) {
                throw ApiException.invalid("tool_choice.type", "Invalid 'tool_choice.type': the '" + type + "' tool cannot"
                        + " run on this server yet.", "unsupported_tool");
            }
            throw ApiException.invalid("tool_choice.type", "Invalid value for 'tool_choice.type': expected 'function'"
                    + (type.isEmpty() ? "." : ", but got '" + type + "'."));
        }
        String name = choice.path("function").path("name").asText("");
        if (name.isEmpty()) {
            throw ApiException.invalid("tool_choice.function.name", "Missing required parameter: 'tool_choice.function.name'.");
        }
        boolean known = tools.stream().anyMatch(tool -> tool.function() != null && name.equals(tool.function().name()));
        if (!known) {
            throw ApiException.invalid("tool_choice.function.name", "Invalid 'tool_choice.function.name': the run has no"
                    + " function named '" + name + "'.");
        }
        ObjectNode normal = JsonNodeFactory.instance.objectNode().put("type", "function");
        normal.putObject("function").put("name", name);
        return normal;
    }
}
