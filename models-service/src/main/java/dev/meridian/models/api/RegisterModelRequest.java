package dev.meridian.models.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.meridian.common.api.models.Capability;

/**
 * Body of {@code POST /admin/v1/models}: an org owner registers a model for the org (a fine-tuned model, or
 * any model an OpenAI-compatible server serves, such as {@code llama3.1:8b} on a local Ollama).
 */
public record RegisterModelRequest(
        @NotBlank(message = "must name the model")
        @Size(max = 256, message = "must be at most 256 characters")
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._:/@\\-]*", message = "must be letters, digits and . _ : / @ -, starting"
                + " with a letter or digit, such as 'llama3.1:8b' or 'ft:gpt-4o-mini:acme:suffix:abc123'")
        String id,
        @NotNull(message = "must be one of 'image', 'moderation', 'chat'")
        Capability capability,
        @NotBlank(message = "must name the engine that serves the model")
        String engine,
        @JsonProperty("upstream_model")
        @Size(max = 256, message = "must be at most 256 characters")
        String upstreamModel,
        @JsonProperty("upstream_base_url")
        @Size(max = 2048, message = "must be at most 2048 characters")
        @Pattern(regexp = "(?i)https?://[^\\s/?#]+[^\\s?#]*", message = "must be an http or https URL such as"
                + " 'http://127.0.0.1:11434/v1'")
        String upstreamBaseUrl,
        @JsonProperty("upstream_credential")
        @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must name a configured API key: 1 to 64 letters, digits,"
                + " underscores and dashes")
        String upstreamCredential) {
}
