package dev.meridian.images.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

import dev.meridian.common.api.moderations.ModerationRequest;
import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.common.client.RemoteError;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.error.ErrorType;
import dev.meridian.common.security.Caller;
import dev.meridian.images.client.ModerationClient;
import dev.meridian.images.client.ModerationRefused;
import dev.meridian.images.config.ImagesConfig;

/**
 * What a caller sends is moderated before anything is generated: every prompt, and the image an edit or a variation
 * starts from. Flagged inputs are refused as OpenAI refuses them; when moderation cannot be reached the configured
 * policy decides, and by default nothing is generated unchecked. When moderation-service answers but refuses the check
 * (a 4xx: a moderation model that takes no images, say), the platform is misconfigured: the caller gets a 502 and
 * nothing is generated, whatever the outage policy.
 */
@ApplicationScoped
public class InputModeration {

    private static final Logger LOG = Logger.getLogger(InputModeration.class);

    @Inject
    ModerationClient moderation;

    @Inject
    ImagesConfig config;

    public void checkPrompt(String prompt, Caller caller) {
        if (flagged(ModerationRequest.text(prompt, config.moderationModel()), "prompt", caller)) {
            throw ApiException.invalid(null, "Your request was rejected as a result of our safety system. Your prompt may"
                    + " contain text that is not allowed by our safety system.", "content_policy_violation");
        }
    }

    /** The uploaded PNG an edit or a variation starts from, judged by the moderation model as an image input. */
    public void checkImage(byte[] png, Caller caller) {
        if (!config.moderateSourceImages()) {
            return;
        }
        if (flagged(ModerationRequest.image("image/png", png, config.moderationModel()), "image", caller)) {
            throw ApiException.invalid("image", "Your request was rejected as a result of our safety system. Your image"
                    + " may contain content that is not allowed by our safety system.", "content_policy_violation");
        }
    }

    private boolean flagged(ModerationRequest request, String what, Caller caller) {
        ModerationResponse verdict;
        try {
            verdict = moderation.moderate(request);
        } catch (ModerationRefused e) {
            LOG.errorf("moderation-service refused to check the %s (%d: %s)%s", what, e.status(), e.getMessage(),
                    "image".equals(what) ? "; for a moderation model that takes no images, set"
                            + " meridian.images.moderate-source-images=false" : "");
            throw new ApiException(502, ErrorType.SERVER, "The moderation service refused to check the " + what + " ("
                    + e.status() + ": " + e.getMessage() + "); the platform operators have to fix its configuration. No"
                    + " image was generated.", null, null);
        } catch (RemoteError | ProcessingException | FaultToleranceException e) {
            // a 5xx, no connection, a timeout or an open breaker: moderation is away
            if (config.moderationUnavailable() == ImagesConfig.ModerationOutage.ALLOW) {
                LOG.warnf("Moderation of the %s unavailable (%s); generating unchecked as configured", what, e.toString());
                return false;
            }
            LOG.warnf("Moderation of the %s unavailable (%s); refusing to generate unchecked", what, e.toString());
            throw ApiException.unavailable("The moderation service is temporarily unavailable, so the " + what + " could"
                    + " not be checked and no image was generated. Please retry your request shortly.");
        }
        return verdict.flagged();
    }
}
