package dev.meridian.access;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an API key lets its bearer do, as admin-service answers for it: the key, its organization and project, its
 * owner (a user or a service account) and the owner's role in the project ({@code owner} or {@code member}). An
 * organization admin key ({@code sk-admin-}) has no project, owner type {@code admin} and role {@code owner}; it is
 * good for the administration API only.
 *
 * @param expiresAt epoch second after which the key no longer works, or null
 */
public record KeyGrant(
        @JsonProperty("key_id") String keyId,
        @JsonProperty("org_id") String orgId,
        @JsonProperty("project_id") String projectId,
        @JsonProperty("owner_type") String ownerType,
        @JsonProperty("owner_id") String ownerId,
        @JsonProperty("role") String role,
        @JsonProperty("expires_at") Long expiresAt) {

    public static final String ADMIN = "admin";

    @JsonIgnore
    public boolean isAdmin() {
        return ADMIN.equals(ownerType);
    }

    boolean expired(long nowSeconds) {
        return expiresAt != null && nowSeconds >= expiresAt;
    }
}
