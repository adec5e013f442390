package dev.meridian.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** OpenAI's {@code Project}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Project(
        String id,
        String object,
        String name,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("archived_at") Long archivedAt,
        String status,
        @JsonProperty("external_key_id") String externalKeyId) {

    public static final String OBJECT = "organization.project";
}
