package dev.meridian.images.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.meridian.common.events.EventTypes;
import dev.meridian.images.service.ImageRevocation;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * Listens to {@code meridian.moderations} for {@code meridian.content.flagged}. The topic also carries an event per
 * moderation request, hundreds a second, which are acknowledged where they arrive; only a flag goes to a worker
 * thread, since revoking writes to the database. A failure to apply a flag (the database away) nacks it, which stops
 * the channel and fails the health check, so the event is redelivered after a restart rather than lost.
 */
@ApplicationScoped
public class ModerationEvents {

    @Inject
    ImageRevocation revocation;

    @Incoming("moderation-events")
    public Uni<Void> onEvent(Message<String> message) {
        IncomingCloudEventMetadata<?> event = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (event == null || !EventTypes.CONTENT_FLAGGED.equals(event.getType())) {
            return Uni.createFrom().completionStage(message::ack);
        }
        return Uni.createFrom().item(() -> {
            revocation.onFlagged(event.getId(), message.getPayload());
            return message;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onItemOrFailure().transformToUni((applied, failure) -> Uni.createFrom().completionStage(
                        failure == null ? message.ack() : message.nack(failure)));
    }
}
