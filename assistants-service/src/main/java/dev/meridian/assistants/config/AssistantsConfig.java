package dev.meridian.assistants.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "meridian.assistants")
public interface AssistantsConfig {

    /** Refuse requests without {@code OpenAI-Beta: assistants=v2}, as OpenAI does. */
    @WithDefault("true")
    boolean requireBetaHeader();
}
