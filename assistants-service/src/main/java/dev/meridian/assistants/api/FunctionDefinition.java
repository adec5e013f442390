package dev.meridian.assistants.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** A function the model may call; {@code parameters} is a JSON Schema object. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FunctionDefinition(
        @NotNull(message = "is required")
        @Pattern(regexp = "[a-zA-Z0-9_-]{1,64}",
                message = "must be 1 to 64 characters of a-z, A-Z, 0-9, underscores and dashes")
        String name,
        String description,
        JsonNode parameters,
        Boolean strict) {
}
