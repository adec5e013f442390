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

    default boolean allows(Capability capability, String engine) {
        return engines().getOrDefault(capability.wireName(), List.of()).contains(engine);
    }
}
