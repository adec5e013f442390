package dev.meridian.assistants.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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

    interface Upstream {
        /** For example {@code http://127.0.0.1:11434/v1} (Ollama) or {@code http://vllm:8000/v1}. */
        Optional<String> baseUrl();

        /** Sent as {@code Authorization: Bearer …}; never stored or logged. */
        Optional<String> apiKey();

        @WithDefault("5S")
        Duration connectTimeout();

        /** The longest silence allowed from the upstream, before its first token or between two. */
        @WithDefault("60S")
        Duration idleTimeout();

        /** Retries of a turn refused with 429 or 5xx, or not connected, before anything streamed. */
        @WithDefault("2")
        int maxRetries();

        /** The longest wait between two attempts, whatever {@code retry-after} asks for. */
        @WithDefault("10S")
        Duration maxRetryDelay();
    }
}
