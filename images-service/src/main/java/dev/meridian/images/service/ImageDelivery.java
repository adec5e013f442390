package dev.meridian.images.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meridian.images.api.ImagesResponse;
import dev.meridian.common.events.CloudEvent;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.events.Digests;
import dev.meridian.common.events.ImageGeneratedData;
import dev.meridian.common.events.Topics;
import dev.meridian.common.id.Ids;
import dev.meridian.images.config.ImagesConfig;
import dev.meridian.images.engine.ImageEngine.RenderedImage;
import dev.meridian.images.entity.StoredImage;
import dev.meridian.images.repository.ImageRepository;
import dev.meridian.outbox.EventOutbox;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The last step of every image operation: store each image with its {@code meridian.image.generated}
 * event in one transaction, then answer with signed URLs or inline base64.
 */
@ApplicationScoped
public class ImageDelivery {

    public static final String EVENT_SOURCE = "/meridian/images-service";

    @Inject
    ImageRepository images;

    @Inject
    EventOutbox outbox;

    @Inject
    UrlSigner signer;

    @Inject
    TimeSource time;

    @Inject
    ImagesConfig config;

    /**
     * @param project the caller's project, which owns the images with the org
     * @param prompt  null for variations, which have none
     */
    public ImagesResponse deliver(String org, String project, String model, int width, int height, String prompt, String user,
            List<RenderedImage> rendered, boolean base64) {
        Instant created = time.now();
        Instant expires = created.plus(config.urlTtl());
        List<StoredImage> stored = new ArrayList<>(rendered.size());
        QuarkusTransaction.requiringNew().run(() -> {
            for (RenderedImage image : rendered) {
                StoredImage row = new StoredImage();
                row.id = Ids.next("img");
                row.orgId = org;
                row.projectId = project;
                row.model = model;
                row.width = width;
                row.height = height;
                row.promptDigest = Digests.sha256(prompt == null ? "" : prompt);
                row.prompt = prompt;
                row.png = image.png();
                row.createdAt = created;
                row.expiresAt = expires;
                images.persist(row);
                stored.add(row);
                outbox.publish(Topics.IMAGES, CloudEvent.of(EVENT_SOURCE, EventTypes.IMAGE_GENERATED, row.id,
                        ImageGeneratedData.of(row.id, org, model, width + "x" + height,
                                prompt == null ? null : row.promptDigest,
                                prompt == null ? null : signer.promptUrl(row.id, expires.getEpochSecond()), user,
                                created.getEpochSecond(), signer.url(row.id, expires.getEpochSecond()))));
            }
        });
        List<ImagesResponse.Image> data = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            StoredImage row = stored.get(i);
            String revised = rendered.get(i).revisedPrompt();
            data.add(base64
                    ? new ImagesResponse.Image(null, Base64.getEncoder().encodeToString(row.png), revised)
                    : new ImagesResponse.Image(signer.url(row.id, expires.getEpochSecond()), null, revised));
        }
        return new ImagesResponse(created.getEpochSecond(), data);
    }
}
