package dev.meridian.assistants.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Overrides for the file search tool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileSearchOptions(
        @JsonProperty("max_num_results")
        @Min(value = 1, message = "must be between 1 and 50") @Max(value = 50, message = "must be between 1 and 50")
        Integer maxNumResults,
        @JsonProperty("ranking_options") @Valid RankingOptions rankingOptions) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RankingOptions(
            @jakarta.validation.constraints.Pattern(regexp = "auto|default_2024_08_21",
                    message = "must be one of 'auto', 'default_2024_08_21'")
            String ranker,
            @JsonProperty("score_threshold")
            @jakarta.validation.constraints.NotNull(message = "is required")
            @jakarta.validation.constraints.DecimalMin(value = "0", message = "must be between 0 and 1")
            @jakarta.validation.constraints.DecimalMax(value = "1", message = "must be between 0 and 1")
            Double scoreThreshold) {
    }
}
