package dev.meridian.assistants.api;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** OpenAI's {@code RunStepObject}: every field always present, {@code null} where unset. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunStepObject(
        String id,
        String object,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("run_id") String runId,
        @JsonProperty("assistant_id") String assistantId,
        @JsonProperty("thread_id") String threadId,
        String type,
        String status,
        @JsonProperty("cancelled_at") Long cancelledAt,
        @JsonProperty("completed_at") Long completedAt,
        @JsonProperty("expired_at") Long expiredAt,
        @JsonProperty("failed_at") Long failedAt,
        @JsonProperty("last_error") JsonNode lastError,
        @JsonProperty("step_details") JsonNode stepDetails,
        Map<String, String> metadata,
        RunObject.Usage usage) {

    public static final String OBJECT = "thread.run.step";
    public static final String MESSAGE_CREATION = "message_creation";
    public static final String TOOL_CALLS = "tool_calls";
}
