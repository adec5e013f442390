package dev.meridian.common.client;

import java.time.Duration;
import java.util.Optional;

import dev.meridian.common.config.Ranges;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * Where and how a service reaches its OpenAI-compatible upstream. Each service's configuration extends it under its
 * own prefix ({@code meridian.images.upstream.*}, {@code meridian.moderation.upstream.*},
 * {@code meridian.chat.upstream.*}), so the three are set with the same keys; a service with other needs overrides a
 * default in its {@code application.properties}. A value out of its range stops the service at start-up with a message
 * that names the property ({@link Ranges}).
 */
public interface UpstreamConfig {

    /** Base URL including the API version, e.g. {@code https://api.openai.com/v1} or {@code http://127.0.0.1:11434/v1}. */
    Optional<String> baseUrl();

    /** Sent as {@code Authorization: Bearer …}; never stored or logged. */
    Optional<String> apiKey();

    @WithDefault("5S")
    @WithConverter(Ranges.PositiveDuration.class)
    Duration connectTimeout();

    /** The longest silence from the upstream while it answers: before its first byte, or between two. */
    @WithDefault("60S")
    @WithConverter(Ranges.PositiveDuration.class)
    Duration readTimeout();

    /** Retries of a call the upstream failed (a 429 or 5xx, no connection, no answer in time) before giving up. */
    @WithDefault("2")
    @WithConverter(Ranges.NonNegative.class)
    int maxRetries();

    /** The wait before a retry (streams double it at each attempt). */
    @WithDefault("250MS")
    @WithConverter(Ranges.NonNegativeDuration.class)
    Duration retryDelay();

    /** The circuit breaker of calls answered at once, which spares callers the wait on an upstream that is down. */
    Breaker breaker();

    interface Breaker {
        /** How many of the latest attempts it judges by. */
        @WithDefault("10")
        @WithConverter(Ranges.Positive.class)
        int requestVolume();

        /** The share of those attempts that failed at which it opens. */
        @WithDefault("0.5")
        @WithConverter(Ranges.Ratio.class)
        double failureRatio();

        /** How long it stays open, every call failing at once, before a trial call decides whether it closes. */
        @WithDefault("10S")
        @WithConverter(Ranges.NonNegativeDuration.class)
        Duration delay();
    }
}
