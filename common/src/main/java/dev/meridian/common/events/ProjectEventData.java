package dev.meridian.common.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code meridian.project.created|updated|archived}. */
public record ProjectEventData(
        @JsonProperty("id") String id,
        @JsonProperty("org_id") String orgId,
        @JsonProperty("name") String name,
        @JsonProperty("status") String status) {
}
