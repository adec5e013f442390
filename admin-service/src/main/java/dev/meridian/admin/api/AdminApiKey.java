package dev.meridian.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** OpenAI's {@code AdminApiKey}; {@code value} only in the creation answer ({@code AdminApiKeyCreateResponse}). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AdminApiKey(
        String object,
        String id,
        String name,
        @JsonProperty("redacted_value") String redactedValue,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("expires_at") Long expiresAt,
        @JsonProperty("last_used_at") Long lastUsedAt,
        Owner owner,
        @JsonInclude(JsonInclude.Include.NON_NULL) String value) {

    public static final String OBJECT = "organization.admin_api_key";

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Owner(String type, String object, String id, String name, @JsonProperty("created_at") long createdAt,
            String role) {
    }
}
