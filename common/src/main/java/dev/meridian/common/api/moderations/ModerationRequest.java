package dev.meridian.common.api.moderations;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Body of {@code POST /v1/moderations} as other services send it: a text input and the model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModerationRequest(Object input, String model) {
}
