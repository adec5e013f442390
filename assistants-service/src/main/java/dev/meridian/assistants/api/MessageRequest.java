package dev.meridian.assistants.api;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of create message (and of each initial message of create thread). {@code content} is a
 * string or an array of {@code text}, {@code image_url} and {@code image_file} parts; the service
 * checks its shape, since JSON Schema's "string or array" does not map onto one Java type.
 */
public record MessageRequest(
        @Pattern(regexp = "user|assistant", message = "must be one of 'user', 'assistant'") String role,
        JsonNode content,
        @Size(max = 10, message = "must hold at most 10 attachments") List<@Valid Attachment> attachments,
        Map<String, String> metadata) {
}
