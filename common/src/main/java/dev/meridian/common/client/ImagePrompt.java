package dev.meridian.common.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A generated image's prompt as images-service serves it behind its signed prompt URL; null for a variation. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ImagePrompt(@JsonProperty("image_id") String imageId, String prompt) {
}
