package dev.meridian.images.client;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.meridian.common.api.moderations.ModerationRequest;
import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.common.client.ModerationApi;
import dev.meridian.common.client.RemoteError;

/**
 * moderation-service with a timeout and a breaker: a failing moderation service is known fast. A 4xx answer is
 * {@link ModerationRefused}, which the breaker does not count: a service that answers is not failing.
 */
@ApplicationScoped
public class ModerationClient {

    @Inject
    @RestClient
    ModerationApi api;

    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = ModerationRefused.class)
    public ModerationResponse moderate(ModerationRequest request) {
        try {
            return api.moderate(request);
        } catch (RemoteError e) {
            if (e.refused()) {
                throw new ModerationRefused(e.status(), e.errorMessage() != null ? e.errorMessage() : "no error message");
            }
            throw e;
        }
    }
}
