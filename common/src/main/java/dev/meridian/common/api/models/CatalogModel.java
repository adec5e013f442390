package dev.meridian.common.api.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A catalog entry as the platform sees it: the public {@link Model} fields plus the engine binding.
 * Served by models-service's admin API ({@code /admin/v1/models}), never on the OpenAI surface.
 *
 * @param orgId null for base models, which every org sees
 * @param upstreamModel the model name to ask an {@code openai-compatible} upstream for; null means the same id
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CatalogModel(
        String id,
        String object,
        long created,
        @JsonProperty("owned_by") String ownedBy,
        @JsonProperty("org_id") String orgId,
        Capability capability,
        String engine,
        @JsonProperty("upstream_model") String upstreamModel) {

    public static final String OBJECT = "catalog.model";

    public boolean base() {
        return orgId == null;
    }

    public Model toModel() {
        return Model.of(id, created, ownedBy);
    }
}
