package dev.meridian.common.api.models;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code POST /admin/v1/models}: an org owner registers a fine-tuned model for the org. */
public record RegisterModelRequest(
        @NotBlank(message = "must name the model")
        @Size(max = 256, message = "must be at most 256 characters")
        @Pattern(regexp = "ft:[A-Za-z0-9._:\\-]+", message = "must be a fine-tuned model id such as 'ft:gpt-4o-mini:acme:suffix:abc123'")
        String id,
        @NotNull(message = "must be one of 'image', 'moderation', 'chat'")
        Capability capability,
        @NotBlank(message = "must name the engine that serves the model")
        String engine,
        @JsonProperty("upstream_model")
        @Size(max = 256, message = "must be at most 256 characters")
        String upstreamModel) {
}
