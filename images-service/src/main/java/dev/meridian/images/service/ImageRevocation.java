package dev.meridian.images.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.common.events.CloudEvent;
import dev.meridian.common.events.ContentFlaggedData;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.events.Topics;
import dev.meridian.images.entity.StoredImage;
import dev.meridian.images.repository.ImageRepository;
import dev.meridian.outbox.EventOutbox;
import dev.meridian.outbox.Inbox;

/**
 * Revokes flagged images: the URL stops working at once and {@code meridian.image.revoked} follows.
 * Idempotent on the flagging event's id, and a second flag for an already revoked image changes nothing.
 */
@ApplicationScoped
public class ImageRevocation {

    static final String CONSUMER = "images-service/content-flagged";
    private static final Logger LOG = Logger.getLogger(ImageRevocation.class);

    @Inject
    Inbox inbox;

    @Inject
    ImageRepository images;

    @Inject
    EventOutbox outbox;

    @Inject
    TimeSource time;

    @Inject
    ObjectMapper json;

    @Transactional
    public void onFlagged(String eventId, String data) {
        if (!inbox.firstDelivery(CONSUMER, eventId)) {
            LOG.debugf("Event %s already applied", eventId);
            return;
        }
        ContentFlaggedData flagged;
        try {
            flagged = json.readValue(data, ContentFlaggedData.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("Ignoring unreadable %s event %s: %s", EventTypes.CONTENT_FLAGGED, eventId, e.getOriginalMessage());
            return;
        }
        StoredImage image = flagged.imageId() == null ? null : images.findById(flagged.imageId());
        if (image == null || !image.orgId.equals(flagged.orgId())) {
            LOG.infof("Flagged image %s is not stored here (purged or unknown)", flagged.imageId());
            return;
        }
        if (image.revokedAt != null) {
            return;
        }
        image.revokedAt = time.now();
        outbox.publish(Topics.IMAGES, CloudEvent.of(ImageDelivery.EVENT_SOURCE, EventTypes.IMAGE_REVOKED, image.id,
                new ContentFlaggedData(image.id, image.orgId, flagged.categories())));
    }
}
