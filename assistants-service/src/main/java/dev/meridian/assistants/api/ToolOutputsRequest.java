package dev.meridian.assistants.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of submit tool outputs ({@code SubmitToolOutputsRunRequest}). */
public record ToolOutputsRequest(@JsonProperty("tool_outputs") List<ToolOutput> toolOutputs, Boolean stream) {

    public record ToolOutput(@JsonProperty("tool_call_id") String toolCallId, String output) {
    }
}
