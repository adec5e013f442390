package dev.meridian.images.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;

import dev.meridian.common.error.ApiException;
import dev.meridian.common.error.ErrorType;
import dev.meridian.images.entity.StoredImage;
import dev.meridian.images.repository.ImageRepository;

/** Serves images behind signed URLs, and purges them once expired. */
@ApplicationScoped
public class ImageContent {

    @Inject
    ImageRepository images;

    @Inject
    UrlSigner signer;

    @Inject
    TimeSource time;

    @Inject
    dev.meridian.images.config.ImagesConfig config;

    /** The PNG, if the signature holds, the URL has not expired and the image was not revoked. */
    @Transactional
    public byte[] png(String id, String expires, String signature) {
        return available(id, expires, signature, false).png;
    }

    /**
     * The prompt of the image (null for a variation), if the prompt URL's signature holds, it has not expired and the
     * image was not revoked.
     */
    @Transactional
    public String prompt(String id, String expires, String signature) {
        return available(id, expires, signature, true).prompt;
    }

    private StoredImage available(String id, String expires, String signature, boolean prompt) {
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires == null ? "" : expires);
        } catch (NumberFormatException e) {
            throw invalidSignature();
        }
        if (!(prompt ? signer.verifyPrompt(id, expiresAt, signature) : signer.verify(id, expiresAt, signature))) {
            throw invalidSignature();
        }
        if (time.now().getEpochSecond() >= expiresAt) {
            throw new ApiException(410, ErrorType.INVALID_REQUEST, "This image URL expired at "
                    + Instant.ofEpochSecond(expiresAt) + "; image URLs are valid for " + config.urlTtl().toMinutes()
                    + " minutes.", null, "url_expired");
        }
        StoredImage image = images.findById(id);
        if (image == null || image.revokedAt != null) {
            throw new ApiException(410, ErrorType.INVALID_REQUEST, "This image is no longer available.", null,
                    "image_unavailable");
        }
        return image;
    }

    @Scheduled(every = "${meridian.images.purge-interval:5m}", delayed = "1m")
    @Transactional
    void purgeExpired() {
        images.purgeExpiredBefore(time.now());
    }

    private static ApiException invalidSignature() {
        return new ApiException(403, ErrorType.INVALID_REQUEST, "This image URL is not valid: its signature does not"
                + " match.", null, "invalid_signature");
    }
}
