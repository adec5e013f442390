package dev.meridian.assistants.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * OpenAI's {@code MessageObject}. {@code content} holds typed parts: {@code text} parts as
 * {@code {"type":"text","text":{"value","annotations"}}}, image parts as sent.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MessageObject(
        String id,
        String object,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("thread_id") String threadId,
        String status,
        @JsonProperty("incomplete_details") JsonNode incompleteDetails,
        @JsonProperty("completed_at") Long completedAt,
        @JsonProperty("incomplete_at") Long incompleteAt,
        String role,
        JsonNode content,
        @JsonProperty("assistant_id") String assistantId,
        @JsonProperty("run_id") String runId,
        List<Attachment> attachments,
        Map<String, String> metadata) {

    public static final String OBJECT = "thread.message";
    public static final String DELETED_OBJECT = "thread.message.deleted";
}
