package dev.meridian.images.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** OpenAI's {@code ImagesResponse}. */
public record ImagesResponse(long created, List<Image> data) {

    /** One image: {@code url} or {@code b64_json}, and {@code revised_prompt} where the model rewrote the prompt. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(
            String url,
            @JsonProperty("b64_json") String b64Json,
            @JsonProperty("revised_prompt") String revisedPrompt) {
    }
}
