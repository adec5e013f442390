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

/** moderation-service with a timeout and a breaker: a failing moderation service is known fast. */
@ApplicationScoped
public class ModerationClient {

    @Inject
    @RestClient
    ModerationApi api;

    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS)
    public ModerationResponse moderate(ModerationRequest request, String authorization) {
        return api.moderate(request, authorization);
    }
}
