package dev.meridian.assistants.api;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** OpenAI's {@code ThreadObject}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ThreadObject(
        String id,
        String object,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("tool_resources") ToolResources toolResources,
        Map<String, String> metadata) {

    public static final String OBJECT = "thread";
    public static final String DELETED_OBJECT = "thread.deleted";
}
