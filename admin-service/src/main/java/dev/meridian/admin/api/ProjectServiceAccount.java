package dev.meridian.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * OpenAI's {@code ProjectServiceAccount}; on creation ({@code ProjectServiceAccountCreateResponse}) it also carries the
 * {@code api_key}, the only time the key's value is shown.
 */
/** {@code api_key} is null here (absent from the JSON) except in the creation answer: a key, or null (Optional.empty). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectServiceAccount(
        String object,
        String id,
        String name,
        String role,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("api_key") java.util.Optional<NewKey> apiKey) {

    public static final String OBJECT = "organization.project.service_account";

    /** {@code ProjectServiceAccountApiKey}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record NewKey(String object, String value, String name, @JsonProperty("created_at") long createdAt, String id) {
        public static final String OBJECT = "organization.project.service_account.api_key";
    }
}
