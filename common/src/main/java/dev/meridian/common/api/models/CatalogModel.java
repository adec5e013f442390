package dev.meridian.common.api.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A catalog entry as the platform sees it: the public {@link Model} fields plus the engine binding.
 * Served by models-service's admin API ({@code /admin/v1/models}), never on the OpenAI surface.
 *
 * @param orgId null for base models, which every org sees
 * @param upstreamModel the model name to ask an {@code openai-compatible} upstream for; null means the same id
 * @param upstreamBaseUrl the {@code openai-compatible} server for this model; null means the serving service's default
 * @param upstreamCredential the name of the API key (configured in the serving service) to send it; null for the default
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
        @JsonProperty("upstream_model") String upstreamModel,
        @JsonProperty("upstream_base_url") String upstreamBaseUrl,
        @JsonProperty("upstream_credential") String upstreamCredential) {

    public static final String OBJECT = "catalog.model";

    public boolean base() {
        return orgId == null;
    }

    public Model toModel() {
        return Model.of(id, created, ownedBy);
    }
}
