package dev.meridian.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** OpenAI's {@code ProjectUser}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ProjectUser(
        String object,
        String id,
        String name,
        String email,
        String role,
        @JsonProperty("added_at") long addedAt) {

    public static final String OBJECT = "organization.project.user";
}
