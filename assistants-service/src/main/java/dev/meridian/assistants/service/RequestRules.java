package dev.meridian.assistants.service;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.assistants.api.Tool;
import dev.meridian.common.error.ApiException;

/**
 * The request rules of the Assistants API that Bean Validation on the records cannot express: the
 * metadata limits, tool definitions, {@code response_format}, and message content in its several
 * shapes. Every failure names the exact parameter.
 */
@ApplicationScoped
public class RequestRules {

    public static final int METADATA_PAIRS = 16;
    public static final int METADATA_KEY_CHARS = 64;
    public static final int METADATA_VALUE_CHARS = 512;
    public static final int CONTENT_PARTS = 100;
    public static final int CONTENT_TEXT_CHARS = 256_000;
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Set<String> DETAILS = Set.of("auto", "low", "high");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    /** Binds a raw body to a request record and applies its Bean Validation constraints. */
    public <T> T read(ObjectNode body, Class<T> type) throws JsonProcessingException {
        T request = json.treeToValue(body == null ? NODES.objectNode() : body, type);
        if (body != null) {
            refuseNul(body, "");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return request;
    }

    /**
     * A NUL character anywhere in a body, named by its path as the JSON reader names a string field's
     * ({@code tools[0].function.parameters.properties.city.description}, {@code metadata.k}): the reader checks plain
     * string fields, but the fields kept as JSON trees (a function's {@code parameters}, {@code response_format},
     * {@code tool_choice}) and the keys of maps would otherwise reach PostgreSQL, which refuses the whole request with a
     * message naming no parameter.
     */
    static void refuseNul(JsonNode node, String path) {
        if (node.isTextual()) {
            if (node.textValue().indexOf('\u0000') >= 0) {
                throw ApiException.textWithNul(path);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseNul(node.get(i), path + '[' + i + ']');
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String name = field.getKey();
                if (name.indexOf('\u0000') >= 0) {
                    throw ApiException.invalid(path.isEmpty() ? null : path, "Invalid " + (path.isEmpty() ? "request"
                            : "value for '" + path + "'") + ": property names cannot contain the NUL character (\\u0000).");
                }
                refuseNul(field.getValue(), path.isEmpty() ? name : path + '.' + name);
            }
        }
    }

    public static void metadata(Map<String, String> metadata, String param) {
        if (metadata == null) {
            return;
        }
        if (metadata.size() > METADATA_PAIRS) {
            throw ApiException.invalid(param, "Invalid '" + param + "': too many properties. Expected an object with at most "
                    + METADATA_PAIRS + " properties, but got " + metadata.size() + " instead.", "object_above_max_properties");
        }
        for (Map.Entry<String, String> pair : metadata.entrySet()) {
            if (pair.getKey().length() > METADATA_KEY_CHARS) {
                throw ApiException.invalid(param, "Invalid '" + param + "': keys must be at most " + METADATA_KEY_CHARS
                        + " characters, but '" + pair.getKey().substring(0, 16) + "…' has " + pair.getKey().length() + ".");
            }
            if (pair.getValue() == null) {
                throw ApiException.invalid(param, "Invalid '" + param + "': the value of '" + pair.getKey()
                        + "' must be a string.");
            }
            if (pair.getValue().length() > METADATA_VALUE_CHARS) {
                throw ApiException.invalid(param, "Invalid '" + param + "': values must be at most " + METADATA_VALUE_CHARS
                        + " characters, but the value of '" + pair.getKey() + "' has " + pair.getValue().length() + ".");
            }
        }
    }

    public static void tools(List<Tool> tools) {
        if (tools == null) {
            return;
        }
        for (int i = 0; i < tools.size(); i++) {
            Tool tool = tools.get(i);
            String param = "tools[" + i + "]";
            if (tool == null) {
                throw ApiException.invalid(param, "Invalid '" + param + "': expected a tool object.");
            }
            if (Tool.FUNCTION.equals(tool.type())) {
                if (tool.function() == null) {
                    throw ApiException.invalid(param + ".function", "Missing required parameter: '" + param + ".function'.");
                }
                JsonNode parameters = tool.function().parameters();
                if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                    throw ApiException.invalid(param + ".function.parameters", "Invalid '" + param
                            + ".function.parameters': expected a JSON Schema object.");
                }
            } else if (tool.function() != null) {
                throw ApiException.invalid(param + ".function", "Invalid '" + param + ".function': only tools of type"
                        + " 'function' take a function definition.");
            }
            if (tool.fileSearch() != null && !Tool.FILE_SEARCH.equals(tool.type())) {
                throw ApiException.invalid(param + ".file_search", "Invalid '" + param + ".file_search': only tools of"
                        + " type 'file_search' take file search options.");
            }
        }
    }

    /** Refuses what cannot be honoured yet instead of silently dropping it. */
    public static void toolResources(dev.meridian.assistants.api.ToolResources resources) {
        if (resources != null && resources.fileSearch() != null && resources.fileSearch().vectorStores() != null) {
            throw ApiException.invalid("tool_resources.file_search.vector_stores", "Creating vector stores inline is not"
                    + " supported by this server; pass existing ones in 'tool_resources.file_search.vector_store_ids'.",
                    "unsupported_parameter");
        }
    }

    /** {@code "auto"} or {@code {"type":"text"|"json_object"|"json_schema", …}}; null means unset. */
    public static void responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return;
        }
        if (format.isTextual()) {
            if (!"auto".equals(format.asText())) {
                throw ApiException.invalid("response_format", "Invalid value for 'response_format': expected 'auto' or an"
                        + " object with a 'type' of 'text', 'json_object' or 'json_schema'.");
            }
            return;
        }
        if (!format.isObject()) {
            throw ApiException.invalid("response_format", "Invalid type for 'response_format': expected 'auto' or an object.");
        }
        JsonNode type = format.get("type");
        if (type == null || !type.isTextual()) {
            throw ApiException.invalid("response_format.type", "Missing required parameter: 'response_format.type'.");
        }
        switch (type.asText()) {
            case "text", "json_object" -> {
            }
            case "json_schema" -> {
                JsonNode schema = format.get("json_schema");
                if (schema == null || !schema.isObject()) {
                    throw ApiException.invalid("response_format.json_schema",
                            "Missing required parameter: 'response_format.json_schema'.");
                }
                JsonNode name = schema.get("name");
                if (name == null || !name.isTextual() || !SCHEMA_NAME.matcher(name.asText()).matches()) {
                    throw ApiException.invalid("response_format.json_schema.name", "Invalid 'response_format.json_schema.name':"
                            + " must be 1 to 64 characters of a-z, A-Z, 0-9, underscores and dashes.");
                }
                JsonNode body = schema.get("schema");
                if (body != null && !body.isNull() && !body.isObject()) {
                    throw ApiException.invalid("response_format.json_schema.schema",
                            "Invalid 'response_format.json_schema.schema': expected a JSON Schema object.");
                }
                JsonNode strict = schema.get("strict");
                if (strict != null && !strict.isNull() && !strict.isBoolean()) {
                    throw ApiException.invalid("response_format.json_schema.strict",
                            "Invalid type for 'response_format.json_schema.strict': expected a boolean.");
                }
            }
            default -> throw ApiException.invalid("response_format.type", "Invalid value for 'response_format.type': '"
                    + type.asText() + "' is not one of 'text', 'json_object', 'json_schema'.");
        }
    }

    /**
     * Turns message content as sent (a string, or an array of {@code text}, {@code image_url} and
     * {@code image_file} parts) into the typed parts a message object holds.
     */
    public static ArrayNode content(JsonNode content, String param) {
        if (content == null || content.isNull()) {
            throw ApiException.invalid(param, "Missing required parameter: '" + param + "'.");
        }
        ArrayNode parts = NODES.arrayNode();
        if (content.isTextual()) {
            requireText(content.asText(), param);
            parts.add(textPart(content.asText()));
            return parts;
        }
        if (!content.isArray()) {
            throw ApiException.invalid(param, "Invalid type for '" + param + "': expected a string or an array of content parts.");
        }
        if (content.isEmpty()) {
            throw ApiException.invalid(param, "Invalid '" + param + "': empty array. Expected an array with at least 1 element.",
                    "empty_array");
        }
        if (content.size() > CONTENT_PARTS) {
            throw ApiException.invalid(param, "Invalid '" + param + "': expected an array with at most " + CONTENT_PARTS
                    + " elements, but got " + content.size() + ".", "array_above_max_length");
        }
        int chars = 0;
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String at = param + "[" + i + "]";
            if (!part.isObject()) {
                throw ApiException.invalid(at, "Invalid type for '" + at + "': expected a content part object.");
            }
            String type = part.path("type").asText("");
            switch (type) {
                case "text" -> {
                    JsonNode text = part.get("text");
                    if (text == null || !text.isTextual()) {
                        throw ApiException.invalid(at + ".text", "Invalid type for '" + at + ".text': expected a string.");
                    }
                    requireText(text.asText(), at + ".text");
                    chars += text.asText().length();
                    parts.add(textPart(text.asText()));
                }
                case "image_url" -> parts.add(imagePart(part, at, "image_url", "url"));
                case "image_file" -> parts.add(imagePart(part, at, "image_file", "file_id"));
                default -> throw ApiException.invalid(at + ".type", "Invalid value for '" + at + ".type': expected one of"
                        + " 'text', 'image_url', 'image_file'" + (type.isEmpty() ? "." : ", but got '" + type + "'."));
            }
        }
        if (chars > CONTENT_TEXT_CHARS) {
            throw ApiException.invalid(param, "Invalid '" + param + "': the text must be at most " + CONTENT_TEXT_CHARS
                    + " characters, but got " + chars + ".");
        }
        return parts;
    }

    private static void requireText(String text, String param) {
        if (text.indexOf('\u0000') >= 0) {
            throw ApiException.textWithNul(param);
        }
        if (text.isEmpty()) {
            throw ApiException.invalid(param, "Invalid '" + param + "': string too short. Expected a string with minimum"
                    + " length 1, but got an empty string instead.", "string_below_min_length");
        }
        if (text.length() > CONTENT_TEXT_CHARS) {
            throw ApiException.invalid(param, "Invalid '" + param + "': string too long. Expected a string with maximum"
                    + " length " + CONTENT_TEXT_CHARS + ", but got a string with length " + text.length() + " instead.",
                    "string_above_max_length");
        }
    }

    /** Message content of one text part, as a run's answer is stored. */
    public static ArrayNode textContent(String value) {
        return NODES.arrayNode().add(textPart(value));
    }

    private static ObjectNode textPart(String value) {
        ObjectNode part = NODES.objectNode().put("type", "text");
        part.putObject("text").put("value", value).putArray("annotations");
        return part;
    }

    private static ObjectNode imagePart(JsonNode part, String at, String type, String key) {
        JsonNode image = part.get(type);
        if (image == null || !image.isObject()) {
            throw ApiException.invalid(at + "." + type, "Missing required parameter: '" + at + "." + type + "'.");
        }
        JsonNode reference = image.get(key);
        if (reference == null || !reference.isTextual() || reference.asText().isBlank()) {
            throw ApiException.invalid(at + "." + type + "." + key, "Missing required parameter: '" + at + "." + type + "."
                    + key + "'.");
        }
        if ("url".equals(key) && !reference.asText().matches("(?i)(https?://|data:image/)\\S+")) {
            throw ApiException.invalid(at + ".image_url.url", "Invalid '" + at + ".image_url.url': expected an http(s) URL"
                    + " or a data:image/ URL.");
        }
        String detail = image.path("detail").asText("auto");
        if (!DETAILS.contains(detail)) {
            throw ApiException.invalid(at + "." + type + ".detail", "Invalid value for '" + at + "." + type
                    + ".detail': expected one of 'auto', 'low', 'high'.");
        }
        ObjectNode out = NODES.objectNode().put("type", type);
        out.putObject(type).put(key, reference.asText()).put("detail", detail);
        return out;
    }
}
