package dev.meridian.images.config;

import java.time.Duration;

import dev.meridian.common.client.UpstreamConfig;

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

    /**
     * The {@code openai-compatible} engine's upstream: any server speaking OpenAI's Images API (its read timeout is
     * 120 s here: an image takes a while).
     */
    UpstreamConfig upstream();

    enum ModerationOutage {
        REFUSE,
        ALLOW
    }
}
