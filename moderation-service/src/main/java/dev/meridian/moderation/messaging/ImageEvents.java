package dev.meridian.moderation.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.meridian.common.events.EventTypes;
import dev.meridian.moderation.service.GeneratedImageReview;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * Listens to {@code meridian.images} for {@code meridian.image.generated}. A failure to apply an event (the database
 * away) nacks it, which stops the channel and fails the health check, so the event is redelivered rather than lost.
 */
@ApplicationScoped
public class ImageEvents {

    @Inject
    GeneratedImageReview review;

    @Incoming("image-events")
    @Blocking
    public CompletionStage<Void> onEvent(Message<String> message) {
        IncomingCloudEventMetadata<?> event = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (event != null && EventTypes.IMAGE_GENERATED.equals(event.getType())) {
            review.onGenerated(event.getId(), message.getPayload());
        }
        return message.ack();
    }
}
