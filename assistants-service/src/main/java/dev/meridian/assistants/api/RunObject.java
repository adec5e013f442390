package dev.meridian.assistants.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** OpenAI's {@code RunObject}: every field always present, {@code null} where unset. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunObject(
        String id,
        String object,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("assistant_id") String assistantId,
        @JsonProperty("thread_id") String threadId,
        String status,
        @JsonProperty("started_at") Long startedAt,
        @JsonProperty("expires_at") Long expiresAt,
        @JsonProperty("cancelled_at") Long cancelledAt,
        @JsonProperty("failed_at") Long failedAt,
        @JsonProperty("completed_at") Long completedAt,
        @JsonProperty("required_action") JsonNode requiredAction,
        @JsonProperty("last_error") JsonNode lastError,
        String model,
        String instructions,
        List<Tool> tools,
        Map<String, String> metadata,
        @JsonProperty("incomplete_details") JsonNode incompleteDetails,
        Usage usage,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("max_prompt_tokens") Integer maxPromptTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        @JsonProperty("truncation_strategy") JsonNode truncationStrategy,
        @JsonProperty("tool_choice") JsonNode toolChoice,
        @JsonProperty("parallel_tool_calls") boolean parallelToolCalls,
        @JsonProperty("response_format") JsonNode responseFormat) {

    public static final String OBJECT = "thread.run";

    /** Token usage of a run or a run step ({@code RunCompletionUsage}, {@code RunStepCompletionUsage}). */
    public record Usage(
            @JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("completion_tokens") int completionTokens,
            @JsonProperty("total_tokens") int totalTokens) {

        public static Usage of(int prompt, int completion) {
            return new Usage(prompt, completion, prompt + completion);
        }
    }
}
