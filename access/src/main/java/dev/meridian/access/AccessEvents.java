package dev.meridian.access;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.common.events.ApiKeyEventData;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.events.ProjectEventData;
import dev.meridian.common.events.ProjectMemberEventData;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * admin-service's {@code meridian.projects} events, read by every replica (each in a consumer group of its own, from
 * the latest offset: a replica that starts later has nothing cached to evict). Evictions are map operations, done
 * where the record arrives; a failure to apply one fails the message (the channel stops and health turns red) rather
 * than leaving a revoked key working unnoticed.
 */
@ApplicationScoped
public class AccessEvents {

    private static final Logger LOG = Logger.getLogger(AccessEvents.class);

    @Inject
    AccessCache cache;

    @Inject
    ObjectMapper json;

    /**
     * On a worker thread: the cache's lookups hold an entry while they ask admin-service, whose answer a Vert.x event
     * loop delivers, so an event loop waiting here for that entry (an eviction) could wait for itself.
     */
    @Incoming("meridian-access")
    @Blocking
    public CompletionStage<Void> onEvent(Message<String> message) {
        IncomingCloudEventMetadata<?> event = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (event != null) {
            try {
                apply(event.getType(), message.getPayload());
            } catch (JsonProcessingException e) {
                // an event no consumer can read: skipping it is all that can be done, and it must be seen
                LOG.errorf("Unreadable access event %s (%s) skipped: %s", event.getId(), event.getType(), e.getOriginalMessage());
            }
        }
        return message.ack();
    }

    void apply(String type, String payload) throws JsonProcessingException {
        switch (type) {
            case EventTypes.API_KEY_DELETED -> cache.keyDeleted(json.readValue(payload, ApiKeyEventData.class).id());
            case EventTypes.PROJECT_ARCHIVED -> cache.projectArchived(json.readValue(payload, ProjectEventData.class).id());
            case EventTypes.PROJECT_MEMBER_REMOVED -> {
                ProjectMemberEventData member = json.readValue(payload, ProjectMemberEventData.class);
                cache.memberRemoved(member.projectId(), member.memberId());
            }
            case EventTypes.PROJECT_MEMBER_UPDATED -> {
                ProjectMemberEventData member = json.readValue(payload, ProjectMemberEventData.class);
                cache.memberChanged(member.projectId(), member.memberId());
            }
            case EventTypes.PROJECT_MEMBER_ADDED -> {
                ProjectMemberEventData member = json.readValue(payload, ProjectMemberEventData.class);
                cache.memberAdded(member.projectId(), member.memberId());
            }
            default -> {
                // created keys and projects change nothing that is cached
            }
        }
    }
}
