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

import dev.meridian.common.api.images.ImageGenerationRequest;
import dev.meridian.common.api.images.ImagesResponse;
import dev.meridian.common.api.models.Capability;
import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.client.ModelCatalog;
import dev.meridian.common.events.CloudEvent;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.events.ImageGeneratedData;
import dev.meridian.common.events.Topics;
import dev.meridian.common.id.Ids;
import dev.meridian.common.security.Caller;
import dev.meridian.images.config.ImagesConfig;
import dev.meridian.images.engine.Engines;
import dev.meridian.images.engine.ImageEngine;
import dev.meridian.images.engine.ImageEngine.GenerationSpec;
import dev.meridian.images.engine.ImageEngine.RenderedImage;
import dev.meridian.images.entity.StoredImage;
import dev.meridian.images.repository.ImageRepository;
import dev.meridian.outbox.EventOutbox;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Generation: rules, catalog, moderation, engine, then every image and its event stored in one
 * transaction. No transaction is held while moderation or the engine work.
 */
@ApplicationScoped
public class ImageGeneration {

    public static final String EVENT_SOURCE = "/meridian/images-service";

    @Inject
    ModelCatalog catalog;

    @Inject
    PromptModeration moderation;

    @Inject
    Engines engines;

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

    public ImagesResponse generate(ImageGenerationRequest request, Caller caller) {
        String model = GenerationRules.model(request);
        boolean base64 = GenerationRules.responseFormat(request.responseFormat());
        CatalogModel entry = catalog.require(model, Capability.IMAGE, "Images API", caller);
        boolean dallE3 = "dall-e-3".equals(model) || "dall-e-3".equals(entry.upstreamModel());
        GenerationSpec spec = GenerationRules.spec(request, model, dallE3);
        ImageEngine engine = engines.get(entry.engine(), model);
        moderation.check(spec.prompt(), caller);

        List<RenderedImage> rendered = engine.generate(spec);
        Instant created = time.now();
        Instant expires = created.plus(config.urlTtl());
        String org = caller.org();
        List<StoredImage> stored = new ArrayList<>(rendered.size());
        QuarkusTransaction.requiringNew().run(() -> {
            for (RenderedImage image : rendered) {
                StoredImage row = new StoredImage();
                row.id = Ids.next("img");
                row.orgId = org;
                row.model = model;
                row.width = spec.width();
                row.height = spec.height();
                row.promptDigest = sha256(spec.prompt());
                row.png = image.png();
                row.createdAt = created;
                row.expiresAt = expires;
                images.persist(row);
                stored.add(row);
                outbox.publish(Topics.IMAGES, CloudEvent.of(EVENT_SOURCE, EventTypes.IMAGE_GENERATED, row.id,
                        new ImageGeneratedData(row.id, org, model, spec.width() + "x" + spec.height(), spec.prompt(),
                                request.user(), created.getEpochSecond())));
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

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
