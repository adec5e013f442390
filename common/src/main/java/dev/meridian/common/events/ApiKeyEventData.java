package dev.meridian.common.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code meridian.api_key.created|deleted}. Never carries the key, only its id and redacted form. */
public record ApiKeyEventData(
        @JsonProperty("id") String id,
        @JsonProperty("project_id") String projectId,
        @JsonProperty("org_id") String orgId,
        @JsonProperty("owner_type") String ownerType,
        @JsonProperty("owner_id") String ownerId,
        @JsonProperty("redacted_value") String redactedValue) {
}
