package dev.meridian.common.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Data of {@code meridian.moderation.completed} on {@code meridian.moderations}: one per moderation request, with
 * digests of what was classified rather than the content itself (unless the operators configured otherwise).
 *
 * @param categories the categories flagged in any result, in taxonomy order
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ModerationCompletedData(
        String id,
        @JsonProperty("org_id") String orgId,
        String model,
        boolean flagged,
        List<String> categories,
        List<Input> inputs) {

    /**
     * One text or image that was classified.
     *
     * @param index the result it belongs to
     * @param sha256 hex SHA-256 of the text (UTF-8) or of the image bytes
     * @param characters the text's length; null for images
     * @param content the text itself when configured; otherwise null
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Input(int index, String type, String sha256, Integer characters, String content) {
    }
}
