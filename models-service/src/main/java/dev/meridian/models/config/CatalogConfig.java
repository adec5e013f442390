package dev.meridian.models.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.meridian.common.api.models.Capability;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "meridian.catalog")
public interface CatalogConfig {

    /** Engines each capability may be bound to, by capability wire name. */
    Map<String, List<String>> engines();

    /** Base models to seed, by model id. */
    Map<String, BaseModel> baseModels();

    interface BaseModel {
        Capability capability();

        String engine();

        /** Unix seconds, as OpenAI reports {@code created}. */
        long created();

        @WithDefault("system")
        String ownedBy();

        Optional<String> upstreamModel();

        /** The openai-compatible server of this model, if not the serving service's default. */
        Optional<String> upstreamBaseUrl();

        /** The name of the API key (configured in the serving service) for that server. */
        Optional<String> upstreamCredential();
    }

    /** The in-memory view of the catalog (CatalogView). */
    View view();

    interface View {

        /** How long a replica may serve a project's models without reading them again, if no event says they changed. */
        @WithDefault("30S")
        java.time.Duration maxStaleness();

        /** Upper bound on projects kept; the least used go first. */
        @WithDefault("10000")
        long maxScopes();
    }

    default boolean allows(Capability capability, String engine) {
        return engines().getOrDefault(capability.wireName(), List.of()).contains(engine);
    }
}
