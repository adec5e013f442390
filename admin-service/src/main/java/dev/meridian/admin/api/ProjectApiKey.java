package dev.meridian.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * OpenAI's {@code ProjectApiKey}. {@code value} is Meridian's extension, present only in the answer to
 * {@code POST …/api_keys} (a user's personal key, shown once).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ProjectApiKey(
        String object,
        @JsonProperty("redacted_value") String redactedValue,
        String name,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("last_used_at") Long lastUsedAt,
        String id,
        @JsonProperty("owner_project_access") String ownerProjectAccess,
        Owner owner,
        @JsonInclude(JsonInclude.Include.NON_NULL) String value) {

    public static final String OBJECT = "organization.project.api_key";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Owner(String type, OwnerUser user, @JsonProperty("service_account") OwnerServiceAccount serviceAccount) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OwnerUser(String id, String email, String name, @JsonProperty("created_at") long createdAt, String role) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OwnerServiceAccount(String id, String name, @JsonProperty("created_at") long createdAt, String role) {
    }
}
