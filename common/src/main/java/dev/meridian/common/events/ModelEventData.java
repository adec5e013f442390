package dev.meridian.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.meridian.common.api.models.Capability;

/**
 * Data of {@code meridian.model.created|updated|deleted} on {@code meridian.models}.
 *
 * @param orgId     null for a base model
 * @param projectId the project of a fine-tuned model, null for a base model
 * @param actor subject of the token that made the change, or {@code system} for configuration seeding
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ModelEventData(
        String id,
        long created,
        @JsonProperty("owned_by") String ownedBy,
        @JsonProperty("org_id") String orgId,
        @JsonProperty("project_id") String projectId,
        Capability capability,
        String engine,
        @JsonProperty("upstream_model") String upstreamModel,
        String actor) {
}
