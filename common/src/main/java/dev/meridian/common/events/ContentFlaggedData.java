package dev.meridian.common.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Data of {@code meridian.content.flagged} (on {@code meridian.moderations}) and of
 * {@code meridian.image.revoked} (on {@code meridian.images}): which image, whose, and the
 * moderation categories that flagged it.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ContentFlaggedData(
        @JsonProperty("image_id") String imageId,
        @JsonProperty("org_id") String orgId,
        List<String> categories) {
}
