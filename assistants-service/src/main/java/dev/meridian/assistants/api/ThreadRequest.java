package dev.meridian.assistants.api;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of create thread ({@code messages} allowed) and modify thread (only the fields sent change). */
public record ThreadRequest(
        @Size(max = 32, message = "must hold at most 32 messages") List<@Valid MessageRequest> messages,
        @JsonProperty("tool_resources") @Valid ToolResources toolResources,
        Map<String, String> metadata) {
}
