package dev.meridian.assistants.api;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of create run ({@code CreateRunRequest}) and the run part of create thread and run: what
 * the run overrides of its assistant. {@code tool_choice} and {@code truncation_strategy} stay raw,
 * their shapes are checked by the service so every error names the exact parameter.
 */
public record RunRequest(
        @JsonProperty("assistant_id") String assistantId,
        @Size(max = 256, message = "must be at most 256 characters") String model,
        @Size(max = 256_000, message = "must be at most 256000 characters") String instructions,
        @JsonProperty("additional_instructions")
        @Size(max = 256_000, message = "must be at most 256000 characters") String additionalInstructions,
        @JsonProperty("additional_messages") @Size(max = 32, message = "must hold at most 32 messages")
        List<@Valid MessageRequest> additionalMessages,
        @Size(max = 20, message = "must hold at most 20 tools") List<@Valid Tool> tools,
        Map<String, String> metadata,
        @DecimalMin(value = "0", message = "must be between 0 and 2") @DecimalMax(value = "2", message = "must be between 0 and 2")
        Double temperature,
        @JsonProperty("top_p")
        @DecimalMin(value = "0", message = "must be between 0 and 1") @DecimalMax(value = "1", message = "must be between 0 and 1")
        Double topP,
        Boolean stream,
        @JsonProperty("max_prompt_tokens") @Min(value = 256, message = "must be at least 256") Integer maxPromptTokens,
        @JsonProperty("max_completion_tokens") @Min(value = 256, message = "must be at least 256") Integer maxCompletionTokens,
        @JsonProperty("truncation_strategy") JsonNode truncationStrategy,
        @JsonProperty("tool_choice") JsonNode toolChoice,
        @JsonProperty("parallel_tool_calls") Boolean parallelToolCalls,
        @JsonProperty("response_format") JsonNode responseFormat) {
}
