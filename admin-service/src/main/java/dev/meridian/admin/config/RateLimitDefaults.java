package dev.meridian.admin.config;

import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * {@code meridian.rate-limits.defaults.<capability>.*}: each project's limits for a model of that capability until an
 * owner changes them. A dimension left out does not apply to the capability (images for chat models, say).
 */
@ConfigMapping(prefix = "meridian.rate-limits")
public interface RateLimitDefaults {

    Map<String, Limits> defaults();

    interface Limits {
        @WithName("max-requests-per-1-minute")
        int maxRequestsPer1Minute();

        @WithName("max-tokens-per-1-minute")
        int maxTokensPer1Minute();

        @WithName("max-images-per-1-minute")
        Optional<Integer> maxImagesPer1Minute();

        @WithName("max-audio-megabytes-per-1-minute")
        Optional<Integer> maxAudioMegabytesPer1Minute();

        @WithName("max-requests-per-1-day")
        Optional<Integer> maxRequestsPer1Day();

        @WithName("batch-1-day-max-input-tokens")
        Optional<Integer> batch1DayMaxInputTokens();
    }
}
