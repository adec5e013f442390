package dev.meridian.assistants.config;

import java.time.Duration;
import java.util.Map;

import dev.meridian.common.client.UpstreamConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The chat-completions upstream of the {@code openai-compatible} engine ({@code MERIDIAN_CHAT_UPSTREAM_BASE_URL},
 * {@code MERIDIAN_CHAT_UPSTREAM_API_KEY}) and how patiently it is called.
 */
@ConfigMapping(prefix = "meridian.chat")
public interface ChatConfig {

    Upstream upstream();

    /**
     * API keys of other upstreams, by the name a catalog binding gives as {@code upstream_credential}
     * ({@code meridian.chat.credentials.<name>}); never stored in the database or returned.
     */
    Map<String, String> credentials();

    /**
     * The shared upstream keys ({@code base-url}, {@code api-key}, {@code connect-timeout}, {@code read-timeout}: the
     * longest silence before the first token or between two, {@code max-retries}, {@code retry-delay}: doubled at each
     * retry), and the cap on a wait between two attempts.
     */
    interface Upstream extends UpstreamConfig {

        /** The longest wait between two attempts, whatever {@code retry-after} asks for. */
        @WithDefault("10S")
        Duration maxRetryDelay();
    }
}
