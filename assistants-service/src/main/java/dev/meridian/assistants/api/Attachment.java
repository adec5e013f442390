package dev.meridian.assistants.api;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A file attached to a message and the tools it should be added to. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Attachment(
        @JsonProperty("file_id") @NotBlank(message = "is required") String fileId,
        List<@Valid AttachmentTool> tools) {

    public record AttachmentTool(
            @NotNull(message = "is required")
            @Pattern(regexp = "code_interpreter|file_search", message = "must be one of 'code_interpreter', 'file_search'")
            String type) {
    }
}
