package dev.meridian.admin.service;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.common.error.ApiException;

/** Reading request bodies field by field, so each bad value is a 400 naming its parameter. */
final class Bodies {

    static final Set<String> ROLES = Set.of("owner", "member");

    private Bodies() {
    }

    /** A string field, null when absent or JSON null; 400 when present with another type, empty, or too long. */
    static String text(ObjectNode body, String field, boolean required, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.invalid(field, "Missing required parameter: '" + field + "'.", "missing_required_parameter");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid(field, "Invalid type for '" + field + "': expected a string, but got "
                    + kind(node) + " instead.", "invalid_type");
        }
        String value = node.textValue();
        if (value.isBlank()) {
            throw ApiException.invalid(field, "Invalid '" + field + "': empty string. Expected a non-empty string.", "empty_string");
        }
        if (value.length() > maxLength) {
            throw ApiException.invalid(field, "Invalid '" + field + "': string too long. Expected a string with maximum length "
                    + maxLength + ", but got a string with length " + value.length() + " instead.", "string_above_max_length");
        }
        return value;
    }

    static String role(ObjectNode body, boolean required, Set<String> allowed) {
        String role = text(body, "role", required, 64);
        if (role != null && !allowed.contains(role)) {
            throw ApiException.invalid("role", "Invalid value for 'role': expected one of " + String.join(", ",
                    allowed.stream().sorted().map(r -> "'" + r + "'").toList()) + ", but got '" + role + "' instead.", "invalid_value");
        }
        return role;
    }

    static Boolean bool(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw ApiException.invalid(field, "Invalid type for '" + field + "': expected a boolean, but got "
                    + kind(node) + " instead.", "invalid_type");
        }
        return node.booleanValue();
    }

    private static String kind(JsonNode node) {
        return node.isNumber() ? "a number" : node.isBoolean() ? "a boolean" : node.isArray() ? "an array"
                : node.isObject() ? "an object" : "a string";
    }
}
