package dev.meridian.assistants.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** OpenAI's {@code AssistantObject}: every field always present, {@code null} where unset. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AssistantObject(
        String id,
        String object,
        @JsonProperty("created_at") long createdAt,
        String name,
        String description,
        String model,
        String instructions,
        List<Tool> tools,
        @JsonProperty("tool_resources") ToolResources toolResources,
        Map<String, String> metadata,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("response_format") JsonNode responseFormat) {

    public static final String OBJECT = "assistant";
    public static final String DELETED_OBJECT = "assistant.deleted";
}
