package dev.meridian.access;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an API key lets its bearer do, as admin-service answers for it: the key, its organization and project, its
 * owner (a user or a service account) and the owner's role in the project ({@code owner} or {@code member}).
 */
public record KeyGrant(
        @JsonProperty("key_id") String keyId,
        @JsonProperty("org_id") String orgId,
        @JsonProperty("project_id") String projectId,
        @JsonProperty("owner_type") String ownerType,
        @JsonProperty("owner_id") String ownerId,
        @JsonProperty("role") String role) {
}
