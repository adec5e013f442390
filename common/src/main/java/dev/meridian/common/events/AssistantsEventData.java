package dev.meridian.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Data of the events on {@code meridian.assistants}. {@code object} is the resource as the API
 * returns it after the change (an assistant, a thread, or a message without its content), and null
 * for a deletion.
 *
 * @param threadId the thread of a message event, else null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AssistantsEventData(
        String id,
        @JsonProperty("org_id") String orgId,
        @JsonProperty("thread_id") String threadId,
        String actor,
        Object object) {
}
