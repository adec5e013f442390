package dev.meridian.images.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.meridian.common.events.EventTypes;
import dev.meridian.images.service.ImageRevocation;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * Listens to {@code meridian.moderations} for {@code meridian.content.flagged}. A failure to apply
 * an event (the database away) nacks it, which stops the channel and fails the health check, so the
 * event is redelivered after a restart rather than lost.
 */
@ApplicationScoped
public class ModerationEvents {

    @Inject
    ImageRevocation revocation;

    @Incoming("moderation-events")
    @Blocking
    public CompletionStage<Void> onEvent(Message<String> message) {
        IncomingCloudEventMetadata<?> event = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (event != null && EventTypes.CONTENT_FLAGGED.equals(event.getType())) {
            revocation.onFlagged(event.getId(), message.getPayload());
        }
        return message.ack();
    }
}
