package dev.meridian.moderation.service;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meridian.common.error.ApiException;
import dev.meridian.moderation.config.ModerationConfig;
import dev.meridian.moderation.engine.ModerationInput;
import dev.meridian.moderation.engine.ModerationBatch;

/**
 * Reads a {@code POST /v1/moderations} body: {@code input} as a string, an array of strings (one result each) or an
 * array of text and image_url objects (one result for all), and {@code model}. Every rule broken is a 400 naming
 * the parameter, with the request's limits stated.
 */
@ApplicationScoped
public class RequestParser {

    public static final String DEFAULT_MODEL = "omni-moderation-latest";

    @Inject
    ModerationConfig config;

    public ModerationBatch parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid(null, "The request body must be a JSON object with an 'input' field.");
        }
        String model = model(body.get("model"));
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            throw ApiException.invalid("input", "Missing required parameter: 'input'.");
        }
        if (input.isTextual()) {
            if (input.asText().isEmpty()) {
                throw ApiException.invalid("input", "'input' is empty: give a non-empty string, an array of strings,"
                        + " or an array of text and image_url objects.");
            }
            List<ModerationInput> one = List.of(new ModerationInput("input",
                    List.of(new ModerationInput.Text("input", input.asText()))));
            checkText(one);
            return new ModerationBatch(model, one, false);
        }
        if (!input.isArray()) {
            throw ApiException.invalid("input", "Invalid type for 'input': expected a string, an array of strings, or"
                    + " an array of objects, but got " + typeName(input) + ".");
        }
        if (input.isEmpty()) {
            throw ApiException.invalid("input", "'input' is an empty array: give at least one string or object.");
        }
        int max = config.limits().maxItems();
        if (input.size() > max) {
            throw ApiException.invalid("input", "'input' has " + input.size() + " items; at most " + max
                    + " are accepted in one request.");
        }
        boolean strings = input.get(0).isTextual();
        List<ModerationInput> inputs = new ArrayList<>();
        List<ModerationInput.Part> parts = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String param = "input[" + i + "]";
            if (strings) {
                if (!item.isTextual()) {
                    throw ApiException.invalid(param, "Invalid type for '" + param + "': expected a string like the"
                            + " other items, but got " + typeName(item) + ".");
                }
                inputs.add(new ModerationInput(param, List.of(new ModerationInput.Text(param, item.asText()))));
            } else {
                parts.add(part(item, param));
            }
        }
        if (!strings) {
            inputs.add(new ModerationInput("input", parts));
            long images = parts.stream().filter(p -> p instanceof ModerationInput.Image).count();
            if (images > config.limits().maxImages()) {
                throw ApiException.invalid("input", "'input' has " + images + " images; at most "
                        + config.limits().maxImages() + " are accepted in one request.");
            }
        }
        checkText(inputs);
        return new ModerationBatch(model, inputs, !strings);
    }

    private static String model(JsonNode model) {
        if (model == null || model.isNull()) {
            return DEFAULT_MODEL;
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw ApiException.invalid("model", "Invalid type for 'model': expected a model id string, but got "
                    + (model.isTextual() ? "an empty string" : typeName(model)) + ".");
        }
        return model.asText();
    }

    private static ModerationInput.Part part(JsonNode item, String param) {
        if (!item.isObject()) {
            throw ApiException.invalid(param, "Invalid type for '" + param + "': expected an object like the other"
                    + " items ({\"type\": \"text\", ...} or {\"type\": \"image_url\", ...}), but got " + typeName(item) + ".");
        }
        JsonNode type = item.get("type");
        if (type != null && !type.isNull() && !type.isTextual()) {
            throw ApiException.invalid(param + ".type", "Invalid type for '" + param + ".type': expected \"text\" or"
                    + " \"image_url\", but got " + typeName(type) + ".");
        }
        if (type == null || type.isNull()) {
            throw ApiException.invalid(param + ".type", "Missing required parameter: '" + param + ".type' (\"text\""
                    + " or \"image_url\").");
        }
        switch (type.asText()) {
            case "text" -> {
                JsonNode text = item.get("text");
                if (text == null || !text.isTextual()) {
                    throw ApiException.invalid(param + ".text", text == null
                            ? "Missing required parameter: '" + param + ".text'."
                            : "Invalid type for '" + param + ".text': expected a string, but got " + typeName(text) + ".");
                }
                return new ModerationInput.Text(param + ".text", text.asText());
            }
            case "image_url" -> {
                JsonNode imageUrl = item.get("image_url");
                if (imageUrl != null && !imageUrl.isNull() && !imageUrl.isObject()) {
                    throw ApiException.invalid(param + ".image_url", "Invalid type for '" + param + ".image_url':"
                            + " expected an object ({\"url\": ...}), but got " + typeName(imageUrl) + ".");
                }
                JsonNode url = imageUrl == null ? null : imageUrl.get("url");
                if (url != null && !url.isNull() && !url.isTextual()) {
                    throw ApiException.invalid(param + ".image_url.url", "Invalid type for '" + param
                            + ".image_url.url': expected a string, but got " + typeName(url) + ".");
                }
                if (url == null || url.isNull() || url.asText().isBlank()) {
                    throw ApiException.invalid(param + ".image_url.url", "Missing required parameter: '" + param
                            + ".image_url.url' (an https URL or a data: URL of the image).");
                }
                return new ModerationInput.Image(param + ".image_url.url", url.asText(), null, null);
            }
            default -> throw ApiException.invalid(param + ".type", "Invalid value for '" + param + ".type': '"
                    + type.asText() + "'. Supported values are: 'text' and 'image_url'.", "invalid_value");
        }
    }

    private void checkText(List<ModerationInput> inputs) {
        long characters = 0;
        for (ModerationInput in : inputs) {
            for (ModerationInput.Part p : in.parts()) {
                if (p instanceof ModerationInput.Text t) {
                    characters += t.text().length();
                }
            }
        }
        int max = config.limits().maxCharacters();
        if (characters > max) {
            throw ApiException.invalid("input", "'input' has " + characters + " characters of text; at most " + max
                    + " are accepted in one request. Split it over several requests.");
        }
    }

    private static String typeName(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            default -> "a string";
        };
    }
}
