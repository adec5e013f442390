package dev.meridian.moderation.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.common.events.CloudEvent;
import dev.meridian.common.events.ContentFlaggedData;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.events.ImageGeneratedData;
import dev.meridian.common.events.Topics;
import dev.meridian.moderation.config.ModerationConfig;
import dev.meridian.moderation.engine.BuiltinEngine;
import dev.meridian.outbox.EventOutbox;
import dev.meridian.outbox.Inbox;

/**
 * Reviews each generated image after the fact: its prompt is classified again by the built-in engine at stricter
 * thresholds ({@code meridian.moderation.review.strictness}) than the check images-service made before generating,
 * and a flag publishes {@code meridian.content.flagged}, on which images-service revokes the image. The image itself
 * is not classified: the event does not carry it.
 * Idempotent on the event id: a redelivered event publishes nothing twice.
 */
@ApplicationScoped
public class GeneratedImageReview {

    static final String CONSUMER = "moderation-service/image-generated";
    private static final Logger LOG = Logger.getLogger(GeneratedImageReview.class);

    @Inject
    Inbox inbox;

    @Inject
    EventOutbox outbox;

    @Inject
    BuiltinEngine builtin;

    @Inject
    ModerationConfig config;

    @Inject
    ObjectMapper json;

    @Transactional
    public void onGenerated(String eventId, String data) {
        if (!inbox.firstDelivery(CONSUMER, eventId)) {
            LOG.debugf("Event %s already reviewed", eventId);
            return;
        }
        ImageGeneratedData image;
        try {
            image = json.readValue(data, ImageGeneratedData.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("Ignoring unreadable %s event %s: %s", EventTypes.IMAGE_GENERATED, eventId, e.getOriginalMessage());
            return;
        }
        if (image.imageId() == null || image.orgId() == null || image.prompt() == null) {
            LOG.warnf("Ignoring %s event %s without image id, org or prompt", EventTypes.IMAGE_GENERATED, eventId);
            return;
        }
        ModerationResponse.Result result = builtin.classifyText(image.prompt(), config.review().strictness());
        if (!result.flagged()) {
            return;
        }
        List<String> categories = Taxonomy.ALL.stream().filter(c -> Boolean.TRUE.equals(result.categories().get(c))).toList();
        LOG.infof("Generated image %s of %s flagged for %s", image.imageId(), image.orgId(), categories);
        outbox.publish(Topics.MODERATIONS, CloudEvent.of(Moderations.EVENT_SOURCE, EventTypes.CONTENT_FLAGGED,
                image.imageId(), new ContentFlaggedData(image.imageId(), image.orgId(), categories)));
    }
}
