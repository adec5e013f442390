package dev.meridian.assistants.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The part of {@code CreateThreadAndRunRequest} that is not a run override: the thread to create
 * ({@code thread}) and the run's {@code tool_resources}. The run overrides bind to {@link RunRequest}
 * from the same body.
 */
public record ThreadAndRunRequest(ThreadRequest thread, @JsonProperty("tool_resources") ToolResources toolResources) {
}
