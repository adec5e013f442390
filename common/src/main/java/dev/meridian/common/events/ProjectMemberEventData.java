package dev.meridian.common.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code meridian.project.member_added|member_updated|member_removed}: a user or a service account
 * ({@code member_type} {@code user} | {@code service_account}) joined a project, changed role or left it.
 */
public record ProjectMemberEventData(
        @JsonProperty("project_id") String projectId,
        @JsonProperty("org_id") String orgId,
        @JsonProperty("member_type") String memberType,
        @JsonProperty("member_id") String memberId,
        @JsonProperty("role") String role) {
}
