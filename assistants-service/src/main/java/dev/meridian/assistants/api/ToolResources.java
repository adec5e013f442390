package dev.meridian.assistants.api;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Resources for an assistant's or thread's tools: file ids for the code interpreter, vector stores for file search. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolResources(
        @JsonProperty("code_interpreter") @Valid CodeInterpreter codeInterpreter,
        @JsonProperty("file_search") @Valid FileSearch fileSearch) {

    public static final ToolResources EMPTY = new ToolResources(null, null);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CodeInterpreter(
            @JsonProperty("file_ids") @Size(max = 20, message = "must hold at most 20 file ids") List<String> fileIds) {
    }

    /** {@code vector_stores} (creating stores inline) is read only to refuse it: there is no vector store API yet. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileSearch(
            @JsonProperty("vector_store_ids") @Size(max = 1, message = "must hold at most 1 vector store id")
            List<String> vectorStoreIds,
            @JsonProperty("vector_stores") com.fasterxml.jackson.databind.JsonNode vectorStores) {
    }
}
