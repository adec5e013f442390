package dev.meridian.images.service;

import java.awt.image.BufferedImage;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meridian.catalog.ModelCatalog;
import dev.meridian.ratelimit.RateLimiter;


import dev.meridian.images.api.ImagesResponse;
import dev.meridian.common.api.models.Capability;
import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.security.Caller;
import dev.meridian.images.engine.Engines;
import dev.meridian.images.engine.ImageEngine;
import dev.meridian.images.engine.ImageEngine.EditSpec;
import dev.meridian.images.engine.ImageEngine.RenderedImage;
import dev.meridian.images.engine.ImageEngine.VariationSpec;

/**
 * Edits and variations of an uploaded PNG (dall-e-2 family only, as in the reference). The uploaded image is moderated
 * before anything is generated, as the prompt is; the mask is not, since only its transparency is used.
 */
@ApplicationScoped
public class ImageUploads {

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

    public ImagesResponse edit(UploadRequest request, Caller caller) {
        UploadRequest.Upload upload = singleImage(request);
        if (request.prompt() == null) {
            throw ApiException.invalid("prompt", "Missing required parameter: 'prompt'.");
        }
        Common common = common(request, caller, "edits");
        GenerationRules.prompt(request.prompt(), 1000, "dall-e-2");
        BufferedImage image = UploadRules.png(upload.file(), upload.size(), "image");
        BufferedImage mask;
        if (request.mask() != null) {
            mask = UploadRules.png(request.mask().file(), request.mask().size(), "mask");
            if (mask.getWidth() != image.getWidth()) {
                throw ApiException.invalid("mask", "Invalid 'mask': the mask must have the same dimensions as the image ("
                        + image.getWidth() + "x" + image.getHeight() + "), but it is " + mask.getWidth() + "x"
                        + mask.getHeight() + ".");
            }
            if (!UploadRules.hasTransparency(mask)) {
                throw ApiException.invalid("mask", "Invalid 'mask': it has no fully transparent pixels, so there is"
                        + " nothing to edit.");
            }
        } else {
            if (!UploadRules.hasTransparency(image)) {
                throw ApiException.invalid("image", "Invalid 'image': without a mask the image must have fully transparent"
                        + " pixels marking where to edit, and this one has none.");
            }
            mask = image;
        }
        moderation.checkPrompt(request.prompt(), caller);
        moderation.checkImage(UploadRules.bytes(upload.file(), "image"), caller);
        List<RenderedImage> rendered = common.engine.edit(new EditSpec(common.model, request.prompt(), common.n,
                UploadRules.argb(image, common.size), UploadRules.argb(mask, common.size), common.upstreamModel));
        return delivery.deliver(caller.org(), caller.project(), common.model, common.size, common.size, request.prompt(), request.user(), rendered,
                common.base64);
    }

    public ImagesResponse vary(UploadRequest request, Caller caller) {
        UploadRequest.Upload upload = singleImage(request);
        Common common = common(request, caller, "variations");
        BufferedImage image = UploadRules.png(upload.file(), upload.size(), "image");
        moderation.checkImage(UploadRules.bytes(upload.file(), "image"), caller);
        List<RenderedImage> rendered = common.engine.vary(new VariationSpec(common.model, common.n,
                UploadRules.argb(image, common.size), common.upstreamModel));
        return delivery.deliver(caller.org(), caller.project(), common.model, common.size, common.size, null, request.user(), rendered,
                common.base64);
    }

    private record Common(String model, String upstreamModel, ImageEngine engine, int n, int size, boolean base64) {
    }

    /** The parameters edits and variations share: model (dall-e-2 family), n, size, response_format. */
    private Common common(UploadRequest request, Caller caller, String operation) {
        String model = request.model() == null || request.model().isBlank() ? "dall-e-2" : request.model();
        int n = GenerationRules.n(request.n());
        String size = request.size() == null ? "1024x1024" : request.size();
        if (!GenerationRules.DALL_E_2_SIZES.contains(size)) {
            throw ApiException.invalid("size", "Invalid value for 'size': '" + size + "' is not supported for dall-e-2."
                    + " Supported values are: " + String.join(", ", GenerationRules.DALL_E_2_SIZES) + ".");
        }
        boolean base64 = GenerationRules.responseFormat(request.responseFormat());
        CatalogModel entry = catalog.require(model, Capability.IMAGE, "Images API", caller);
        if ("dall-e-3".equals(model) || "dall-e-3".equals(entry.upstreamModel())) {
            throw ApiException.invalid("model", "Invalid 'model': image " + operation + " are only supported for dall-e-2.");
        }
        limiter.admit(caller, model, Capability.IMAGE.wireName(), n, RateLimiter.estimateTokens(request.prompt()));
        return new Common(model, entry.upstreamModel() == null ? model : entry.upstreamModel(),
                engines.get(entry.engine(), model), n, Integer.parseInt(size.split("x")[0]), base64);
    }

    private static UploadRequest.Upload singleImage(UploadRequest request) {
        List<UploadRequest.Upload> images = request.images();
        if (images.isEmpty()) {
            throw ApiException.invalid("image", "Missing required parameter: 'image'.");
        }
        if (images.size() > 1) {
            throw ApiException.invalid("image", "Invalid 'image': dall-e-2 takes exactly one image, but got "
                    + images.size() + ".");
        }
        return images.get(0);
    }
}
