package dev.meridian.images.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.security.Caller;
import dev.meridian.images.client.ModerationClient;
import dev.meridian.images.config.ImagesConfig;

/**
 * Every prompt is moderated before anything is generated. Flagged prompts are refused as OpenAI
 * refuses them; when moderation cannot be reached the configured policy decides, and by default
 * nothing is generated unchecked.
 */
@ApplicationScoped
public class PromptModeration {

    private static final Logger LOG = Logger.getLogger(PromptModeration.class);

    @Inject
    ModerationClient moderation;

    @Inject
    ImagesConfig config;

    public void check(String prompt, Caller caller) {
        ModerationResponse verdict;
        try {
            verdict = moderation.moderate(prompt, config.moderationModel(), caller.authorization());
        } catch (WebApplicationException | ProcessingException | FaultToleranceException e) {
            // an error status, no connection, a timeout or an open breaker: moderation is away
            if (config.moderationUnavailable() == ImagesConfig.ModerationOutage.ALLOW) {
                LOG.warnf("Moderation unavailable (%s); generating unchecked as configured", e.toString());
                return;
            }
            LOG.warnf("Moderation unavailable (%s); refusing to generate unchecked", e.toString());
            throw ApiException.unavailable("The moderation service is temporarily unavailable, so the prompt could not"
                    + " be checked and no image was generated. Please retry your request shortly.");
        }
        if (verdict.flagged()) {
            throw ApiException.invalid(null, "Your request was rejected as a result of our safety system. Your prompt may"
                    + " contain text that is not allowed by our safety system.", "content_policy_violation");
        }
    }
}
