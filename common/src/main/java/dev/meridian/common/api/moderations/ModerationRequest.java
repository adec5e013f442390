package dev.meridian.common.api.moderations;

import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /v1/moderations} as other services send it: a text, or a multimodal input of one image, and
 * the model.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModerationRequest(Object input, String model) {

    /** A text input. */
    public static ModerationRequest text(String text, String model) {
        return new ModerationRequest(text, model);
    }

    /** A multimodal input of one image, sent inline as a {@code data:} URL of its bytes. */
    public static ModerationRequest image(String mediaType, byte[] bytes, String model) {
        String url = "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(bytes);
        return new ModerationRequest(List.of(new ImagePart("image_url", new ImageUrl(url))), model);
    }

    /** {@code {"type":"image_url","image_url":{"url":…}}}. */
    public record ImagePart(String type, @JsonProperty("image_url") ImageUrl imageUrl) {
    }

    public record ImageUrl(String url) {
    }
}
