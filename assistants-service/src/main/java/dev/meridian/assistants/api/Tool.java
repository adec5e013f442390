package dev.meridian.assistants.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A tool enabled on an assistant: {@code code_interpreter}, {@code file_search} (optionally with
 * overrides) or {@code function} (with its definition).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tool(
        @NotNull(message = "is required: one of 'code_interpreter', 'file_search', 'function'")
        @Pattern(regexp = "code_interpreter|file_search|function",
                message = "must be one of 'code_interpreter', 'file_search', 'function'")
        String type,
        @Valid FunctionDefinition function,
        @JsonProperty("file_search") @Valid FileSearchOptions fileSearch) {

    public static final String CODE_INTERPRETER = "code_interpreter";
    public static final String FILE_SEARCH = "file_search";
    public static final String FUNCTION = "function";
}
