package dev.meridian.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Data of {@code meridian.image.generated} on {@code meridian.images}: what moderation needs to check an image.
 * {@code url} is the image's signed URL, valid as long as the image is kept (whatever format the caller asked for);
 * {@code prompt} is null for variations.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ImageGeneratedData(
        @JsonProperty("image_id") String imageId,
        @JsonProperty("org_id") String orgId,
        String model,
        String size,
        String prompt,
        String user,
        @JsonProperty("created_at") long createdAt,
        String url) {
}
