package dev.meridian.moderation.service;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.common.api.models.Capability;
import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.common.client.RemoteError;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.events.CloudEvent;
import dev.meridian.common.events.ContentFlaggedData;
import dev.meridian.common.events.Digests;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.events.ImageGeneratedData;
import dev.meridian.common.events.Topics;
import dev.meridian.moderation.client.GeneratedImages;
import dev.meridian.moderation.config.ModerationConfig;
import dev.meridian.moderation.engine.BuiltinEngine;
import dev.meridian.moderation.engine.ModerationBatch;
import dev.meridian.moderation.engine.ModerationInput;
import dev.meridian.moderation.engine.OpenAiModerationEngine;
import dev.meridian.moderation.engine.Taxonomy;
import dev.meridian.outbox.EventOutbox;
import dev.meridian.outbox.Inbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Reviews each generated image after the fact, and a flag publishes {@code meridian.content.flagged}, on which
 * images-service revokes the image. The prompt is classified again by the built-in engine at stricter thresholds
 * ({@code meridian.moderation.review.strictness}) than the check images-service made before generating; the image
 * itself, fetched from images-service through the signed URL the event carries, is judged by the engine's image
 * classifier at its own threshold. The event does not carry the prompt's text: it is read from images-service with
 * the event's signed prompt URL and checked against the event's SHA-256 (an event written before the prompt URL
 * existed carries the text, which is used). A variation has no prompt and is judged by its image alone. When
 * images-service cannot serve the image or the prompt (after retries), what it did serve is reviewed and the rest is
 * logged at WARN; when the image is already gone (revoked or expired), there is nothing left to judge. With
 * {@code meridian.moderation.review.engine=openai-compatible} the upstream judges the prompt and the image together at
 * its own thresholds, and the built-in engine stands in when it fails.
 * <p>
 * Idempotent on the event id: a redelivered event publishes nothing twice. The image is fetched before the
 * transaction that records the event and its outcome, so no transaction waits on another service.
 */
@ApplicationScoped
public class GeneratedImageReview {

    static final String CONSUMER = "moderation-service/image-generated";
    private static final Logger LOG = Logger.getLogger(GeneratedImageReview.class);
    private static final String CONTENT_PATH = "/v1/images/content/";
    private static final String PROMPT_PATH = "/prompt";

    @Inject
    Inbox inbox;

    @Inject
    EventOutbox outbox;

    @Inject
    BuiltinEngine builtin;

    @Inject
    OpenAiModerationEngine upstream;

    @Inject
    GeneratedImages images;

    @Inject
    ModerationConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    public void onGenerated(String eventId, String data) {
        ImageGeneratedData image;
        try {
            image = json.readValue(data, ImageGeneratedData.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("Ignoring unreadable %s event %s: %s", EventTypes.IMAGE_GENERATED, eventId, e.getOriginalMessage());
            return;
        }
        if (image.imageId() == null || image.orgId() == null
                || image.prompt() == null && image.promptUrl() == null && image.url() == null) {
            LOG.warnf("Ignoring %s event %s without image id, org, or prompt and url", EventTypes.IMAGE_GENERATED,
                    eventId);
            return;
        }
        ModerationResponse.Result result = judge(image, prompt(image), png(image));
        boolean reviewed = QuarkusTransaction.requiringNew().call(() -> {
            if (!inbox.firstDelivery(CONSUMER, eventId)) {
                LOG.debugf("Event %s already reviewed", eventId);
                return false;
            }
            if (!result.flagged()) {
                return true;
            }
            List<String> categories = Taxonomy.ALL.stream().filter(c -> Boolean.TRUE.equals(result.categories().get(c)))
                    .toList();
            LOG.infof("Generated image %s of %s flagged for %s", image.imageId(), image.orgId(), categories);
            outbox.publish(Topics.MODERATIONS, CloudEvent.of(Moderations.EVENT_SOURCE, EventTypes.CONTENT_FLAGGED,
                    image.imageId(), new ContentFlaggedData(image.imageId(), image.orgId(), categories)));
            return true;
        });
        if (reviewed) {
            registry.counter("meridian.moderation.reviews", "flagged", String.valueOf(result.flagged())).increment();
        }
    }

    /**
     * The review's verdict: by the openai-compatible upstream if so configured and it answers, else by the built-in
     * engine at the stricter thresholds.
     */
    private ModerationResponse.Result judge(ImageGeneratedData image, String prompt, byte[] png) {
        List<ModerationInput.Part> parts = new ArrayList<>(2);
        if (prompt != null) {
            parts.add(new ModerationInput.Text("prompt", prompt));
        }
        if (png != null) {
            parts.add(new ModerationInput.Image("image", image.url(), png, "image/png"));
        }
        if (config.review().engine() == ModerationConfig.ReviewEngine.OPENAI_COMPATIBLE && !parts.isEmpty()) {
            CatalogModel model = new CatalogModel(config.review().upstreamModel(), CatalogModel.OBJECT, 0, "system", null,
                    Capability.MODERATION, OpenAiModerationEngine.NAME, config.review().upstreamModel(), null, null);
            try {
                return upstream.moderate(model, Taxonomy.OMNI, new ModerationBatch(model.id(),
                        List.of(new ModerationInput("input", parts)), true)).get(0);
            } catch (ApiException e) { // the engine turns every upstream failure into one
                LOG.warnf("Generated image %s reviewed by the built-in engine instead: the upstream failed (%s)",
                        image.imageId(), e.getMessage());
            }
        }
        return builtin.review(prompt, png, image.imageId(), config.review().strictness());
    }

    /**
     * The image's prompt: the event's own text if it has one (written before the prompt URL existed), else read with
     * its signed prompt URL and checked against its SHA-256; null for a variation or when it cannot be read.
     */
    private String prompt(ImageGeneratedData image) {
        if (image.prompt() != null || image.promptUrl() == null) {
            return image.prompt();
        }
        Map<String, List<String>> query = signedQuery(image.promptUrl(), image.imageId() + PROMPT_PATH);
        if (query == null) {
            LOG.warnf("Prompt of generated image %s not judged: its prompt_url is not an images-service prompt URL for"
                    + " it", image.imageId());
            return null;
        }
        try {
            String prompt = images.prompt(image.imageId(), query.get("expires").get(0), query.get("signature").get(0))
                    .orElse(null);
            if (prompt == null) {
                LOG.infof("Generated image %s is gone (revoked or expired): its prompt is not reviewed", image.imageId());
            } else if (!Digests.sha256(prompt).equals(image.promptSha256())) {
                LOG.warnf("Prompt of generated image %s not judged: images-service served a prompt whose SHA-256 is not"
                        + " the event's", image.imageId());
                return null;
            }
            return prompt;
        } catch (GeneratedImages.Refused | RemoteError | ProcessingException | FaultToleranceException e) {
            LOG.warnf("Prompt of generated image %s not judged: images-service did not serve it (%s)", image.imageId(),
                    e.toString());
            return null;
        }
    }


    /** The generated image's PNG, or null when there is none to judge. */
    private byte[] png(ImageGeneratedData image) {
        if (image.url() == null) {
            return null;
        }
        Map<String, List<String>> query = signedQuery(image.url(), image.imageId());
        if (query == null) {
            LOG.warnf("Generated image %s not judged: its url is not an images-service content URL for it",
                    image.imageId());
            return null;
        }
        try {
            byte[] png = images.png(image.imageId(), query.get("expires").get(0), query.get("signature").get(0))
                    .orElse(null);
            if (png == null) {
                LOG.infof("Generated image %s is gone (revoked or expired): only its prompt is reviewed", image.imageId());
            }
            return png;
        } catch (GeneratedImages.Refused | RemoteError | ProcessingException | FaultToleranceException e) {
            LOG.warnf("Generated image %s not judged, only its prompt is reviewed: images-service did not serve it (%s)",
                    image.imageId(), e.toString());
            return null;
        }
    }

    /**
     * The expiry and signature of a URL whose path ends in the image's content path, or null. Only these two are taken
     * from the event: the host the image is fetched from is configured ({@code quarkus.rest-client.images.url}).
     */
    static Map<String, List<String>> signedQuery(String url, String imageId) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (uri.getRawPath() == null || !uri.getRawPath().endsWith(CONTENT_PATH + imageId) || uri.getRawQuery() == null) {
            return null;
        }
        Map<String, List<String>> query = new QueryStringDecoder(uri.getRawQuery(), false).parameters();
        return query.containsKey("expires") && query.containsKey("signature") ? query : null;
    }
}
