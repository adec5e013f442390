package dev.meridian.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Data of {@code meridian.image.generated} on {@code meridian.images}: what moderation needs to check an image,
 * without the prompt's text, which would stay in the topic for its whole retention. {@code url} is the image's signed
 * URL; {@code promptUrl} the signed URL of its prompt, which only platform services get (here); both are valid as long
 * as the image is kept. {@code promptSha256} is the hex SHA-256 of the prompt's UTF-8 bytes. The two prompt fields are
 * null for variations.
 *
 * @param prompt the prompt's text, as events written before the prompt URL carried it; never written now
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ImageGeneratedData(
        @JsonProperty("image_id") String imageId,
        @JsonProperty("org_id") String orgId,
        String model,
        String size,
        @JsonProperty("prompt_sha256") String promptSha256,
        @JsonProperty("prompt_url") String promptUrl,
        String user,
        @JsonProperty("created_at") long createdAt,
        String url,
        @JsonInclude(JsonInclude.Include.NON_NULL) String prompt) {

    /** An event as images-service writes it now: without the prompt's text. */
    public static ImageGeneratedData of(String imageId, String orgId, String model, String size, String promptSha256,
            String promptUrl, String user, long createdAt, String url) {
        return new ImageGeneratedData(imageId, orgId, model, size, promptSha256, promptUrl, user, createdAt, url, null);
    }
}
