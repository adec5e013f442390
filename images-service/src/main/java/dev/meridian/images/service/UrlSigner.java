package dev.meridian.images.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.meridian.images.config.ImagesConfig;

/**
 * Image URLs carry their expiry and an HMAC-SHA256 over the image id and that expiry, so any replica
 * can check them without a lookup and nobody can extend or retarget one. A prompt URL, which only the platform's
 * services get (in {@code meridian.image.generated}), is signed over {@code prompt:} and the image id, so an image URL
 * that a caller holds does not open its prompt.
 */
@ApplicationScoped
public class UrlSigner {

    private static final String ALGORITHM = "HmacSHA256";

    private static final String PROMPT_SCOPE = "prompt:";

    @Inject
    ImagesConfig config;

    public String sign(String imageId, long expiresEpochSeconds) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(config.urlSigningKey().getBytes(StandardCharsets.UTF_8), ALGORITHM));
            byte[] digest = mac.doFinal((imageId + "." + expiresEpochSeconds).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison, so a signature cannot be guessed byte by byte from timings. */
    public boolean verify(String imageId, long expiresEpochSeconds, String signature) {
        if (signature == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(imageId, expiresEpochSeconds).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    public String url(String imageId, long expiresEpochSeconds) {
        return base() + "/v1/images/content/" + imageId + "?expires=" + expiresEpochSeconds + "&signature="
                + sign(imageId, expiresEpochSeconds);
    }

    /** The signed URL of the image's prompt, valid as long as the image. */
    public String promptUrl(String imageId, long expiresEpochSeconds) {
        return base() + "/v1/images/content/" + imageId + "/prompt?expires=" + expiresEpochSeconds + "&signature="
                + sign(PROMPT_SCOPE + imageId, expiresEpochSeconds);
    }

    /** Whether {@code signature} is the prompt URL's for this image and expiry. */
    public boolean verifyPrompt(String imageId, long expiresEpochSeconds, String signature) {
        return verify(PROMPT_SCOPE + imageId, expiresEpochSeconds, signature);
    }

    private String base() {
        return config.publicBaseUrl().endsWith("/")
                ? config.publicBaseUrl().substring(0, config.publicBaseUrl().length() - 1)
                : config.publicBaseUrl();
    }
}
