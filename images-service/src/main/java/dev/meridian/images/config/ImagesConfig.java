package dev.meridian.images.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "meridian.images")
public interface ImagesConfig {

    /** Where callers reach the API (the edge); image URLs are built on it. */
    @WithDefault("http://127.0.0.1:8080")
    String publicBaseUrl();

    /** HMAC key for image URLs, shared by every replica. */
    String urlSigningKey();

    /** How long an image URL (and the stored image) lives. */
    @WithDefault("60m")
    Duration urlTtl();

    /** The moderation model prompts are checked with. */
    @WithDefault("omni-moderation-latest")
    String moderationModel();

    /**
     * Whether the image an edit or a variation starts from is moderated too, as an image input of the moderation
     * model (which must take images: the omni models do, the text-moderation ones do not).
     */
    @WithDefault("true")
    boolean moderateSourceImages();

    /** What to do when moderation-service cannot be reached: refuse (503) or generate unchecked. */
    @WithDefault("refuse")
    ModerationOutage moderationUnavailable();

    /** The {@code openai-compatible} engine's upstream: any server speaking OpenAI's Images API. */
    Upstream upstream();

    interface Upstream {
        /** Base URL including the API version, e.g. {@code https://api.openai.com/v1}. */
        java.util.Optional<String> baseUrl();

        java.util.Optional<String> apiKey();
    }

    enum ModerationOutage {
        REFUSE,
        ALLOW
    }
}
