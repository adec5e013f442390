package dev.meridian.access;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A user's membership of a project, as admin-service answers for it. */
public record ProjectGrant(
        @JsonProperty("org_id") String orgId,
        @JsonProperty("project_id") String projectId,
        @JsonProperty("user_id") String userId,
        @JsonProperty("role") String role) {
}
