package dev.meridian.images.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meridian.catalog.ModelCatalog;
import dev.meridian.ratelimit.RateLimiter;

import dev.meridian.images.api.ImageGenerationRequest;
import dev.meridian.images.api.ImagesResponse;
import dev.meridian.common.api.models.Capability;
import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.security.Caller;
import dev.meridian.images.engine.Engines;
import dev.meridian.images.engine.ImageEngine;
import dev.meridian.images.engine.ImageEngine.GenerationSpec;
import dev.meridian.images.engine.ImageEngine.RenderedImage;

/**
 * Generation: rules, catalog, moderation, engine, delivery. No transaction is held while moderation
 * or the engine work.
 */
@ApplicationScoped
public class ImageGeneration {

    @Inject
    ModelCatalog catalog;

    @Inject
    InputModeration moderation;

    @Inject
    Engines engines;

    @Inject
    ImageDelivery delivery;

    @Inject
    RateLimiter limiter;

    public ImagesResponse generate(ImageGenerationRequest request, Caller caller) {
        String model = GenerationRules.model(request);
        boolean base64 = GenerationRules.responseFormat(request.responseFormat());
        CatalogModel entry = catalog.require(model, Capability.IMAGE, "Images API", caller);
        boolean dallE3 = "dall-e-3".equals(model) || "dall-e-3".equals(entry.upstreamModel());
        GenerationSpec spec = GenerationRules.spec(request, model, dallE3,
                entry.upstreamModel() == null ? model : entry.upstreamModel());
        ImageEngine engine = engines.get(entry.engine(), model);
        limiter.admit(caller, model, Capability.IMAGE.wireName(), spec.n(), RateLimiter.estimateTokens(spec.prompt()));
        moderation.checkPrompt(spec.prompt(), caller);

        List<RenderedImage> rendered = engine.generate(spec);
        return delivery.deliver(caller.org(), caller.project(), model, spec.width(), spec.height(), spec.prompt(), request.user(), rendered,
                base64);
    }
}
