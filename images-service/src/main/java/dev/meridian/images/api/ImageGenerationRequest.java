package dev.meridian.images.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code POST /v1/images/generations}; its rules depend on the model, so the service checks them. */
public record ImageGenerationRequest(
        String prompt,
        String model,
        Integer n,
        String quality,
        @JsonProperty("response_format") String responseFormat,
        String size,
        String style,
        String user) {
}
