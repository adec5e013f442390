package dev.meridian.common.api.moderations;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/** OpenAI's moderation response: one result per input. */
public record ModerationResponse(String id, String model, List<Result> results) {

    public record Result(
            boolean flagged,
            Map<String, Boolean> categories,
            @JsonProperty("category_scores") Map<String, Double> categoryScores,
            @JsonProperty("category_applied_input_types") Map<String, List<String>> categoryAppliedInputTypes) {
    }

    public boolean flagged() {
        return results != null && results.stream().anyMatch(Result::flagged);
    }
}
