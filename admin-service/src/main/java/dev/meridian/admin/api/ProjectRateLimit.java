package dev.meridian.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** OpenAI's {@code ProjectRateLimit}; the optional limits appear for the models they apply to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectRateLimit(
        String object,
        String id,
        String model,
        @JsonProperty("max_requests_per_1_minute") int maxRequestsPer1Minute,
        @JsonProperty("max_tokens_per_1_minute") int maxTokensPer1Minute,
        @JsonProperty("max_images_per_1_minute") Integer maxImagesPer1Minute,
        @JsonProperty("max_audio_megabytes_per_1_minute") Integer maxAudioMegabytesPer1Minute,
        @JsonProperty("max_requests_per_1_day") Integer maxRequestsPer1Day,
        @JsonProperty("batch_1_day_max_input_tokens") Integer batch1DayMaxInputTokens) {

    public static final String OBJECT = "project.rate_limit";
    public static final String ID_PREFIX = "rl-";
}
