package dev.meridian.assistants.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meridian.common.events.AssistantsEventData;
import dev.meridian.common.events.CloudEvent;
import dev.meridian.common.events.Topics;
import dev.meridian.outbox.EventOutbox;

/** Writes the events of {@code meridian.assistants} into the outbox, in the caller's transaction. */
@ApplicationScoped
public class AssistantsEvents {

    public static final String SOURCE = "/meridian/assistants-service";

    @Inject
    EventOutbox outbox;

    public void publish(String type, String id, String org, String threadId, String actor, Object object) {
        outbox.publish(Topics.ASSISTANTS, CloudEvent.of(SOURCE, type, id,
                new AssistantsEventData(id, org, threadId, actor, object)));
    }
}
