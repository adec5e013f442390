package dev.meridian.assistants.api;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of create and modify assistant. Create requires {@code model}; modify changes only the
 * fields that were sent (the service reads which ones from the raw body).
 */
public record AssistantRequest(
        @Size(max = 256, message = "must be at most 256 characters") String model,
        @Size(max = 256, message = "must be at most 256 characters") String name,
        @Size(max = 512, message = "must be at most 512 characters") String description,
        @Size(max = 256_000, message = "must be at most 256000 characters") String instructions,
        @Size(max = 128, message = "must hold at most 128 tools") List<@Valid Tool> tools,
        @JsonProperty("tool_resources") @Valid ToolResources toolResources,
        Map<String, String> metadata,
        @DecimalMin(value = "0", message = "must be between 0 and 2") @DecimalMax(value = "2", message = "must be between 0 and 2")
        Double temperature,
        @JsonProperty("top_p")
        @DecimalMin(value = "0", message = "must be between 0 and 1") @DecimalMax(value = "1", message = "must be between 0 and 1")
        Double topP,
        @JsonProperty("response_format") JsonNode responseFormat) {
}
