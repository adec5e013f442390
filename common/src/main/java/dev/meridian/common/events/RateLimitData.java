package dev.meridian.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A project's effective rate limits for one model: the data of {@code meridian.rate_limit.updated} on
 * {@code meridian.projects}, and admin-service's answer to a service that enforces them. A null limit does not apply
 * (the model's capability has no such dimension); 0 blocks the model.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RateLimitData(
        @JsonProperty("project_id") String projectId,
        @JsonProperty("model") String model,
        @JsonProperty("max_requests_per_1_minute") Integer maxRequestsPer1Minute,
        @JsonProperty("max_tokens_per_1_minute") Integer maxTokensPer1Minute,
        @JsonProperty("max_images_per_1_minute") Integer maxImagesPer1Minute,
        @JsonProperty("max_audio_megabytes_per_1_minute") Integer maxAudioMegabytesPer1Minute,
        @JsonProperty("max_requests_per_1_day") Integer maxRequestsPer1Day,
        @JsonProperty("batch_1_day_max_input_tokens") Integer batch1DayMaxInputTokens) {
}
