package dev.meridian.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of OpenAI's error envelope. All four keys are always written, {@code null} included,
 * because strict clients read {@code param} and {@code code} unconditionally.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiError(String message, String type, String param, String code) {
}
