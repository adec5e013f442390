package dev.meridian.moderation.client;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.common.client.RemoteError;
import dev.meridian.common.client.UpstreamErrors;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.error.ErrorType;
import dev.meridian.moderation.config.ModerationConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Calls the upstream's {@code /moderations} with a timeout, two retries on upstream failures and a circuit breaker.
 * The upstream's 400 reaches the caller as our envelope; its outage becomes a 503 (see the resource's fallback).
 */
@ApplicationScoped
public class UpstreamModerations {

    @Inject
    ModerationConfig config;

    private volatile UpstreamModerationsApi api;

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, retryOn = UpstreamFailure.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
            skipOn = ApiException.class)
    public ModerationResponse moderate(Map<String, Object> body) {
        String auth = config.upstream().apiKey().map(key -> "Bearer " + key).orElse(null);
        try {
            return client().moderate(body, auth);
        } catch (RemoteError e) {
            ApiException forCaller = UpstreamErrors.translate(e, "moderation engine upstream");
            if (forCaller != null) {
                throw forCaller;
            }
            throw new UpstreamFailure("upstream answered " + e.status());
        } catch (ProcessingException e) {
            throw new UpstreamFailure("upstream unreachable: " + e.getMessage());
        }
    }

    private UpstreamModerationsApi client() {
        UpstreamModerationsApi client = api;
        if (client == null) {
            String base = config.upstream().baseUrl().orElseThrow(() -> new ApiException(503, ErrorType.SERVER,
                    "The moderation engine upstream is not configured on this server.", null, null));
            client = QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create(base))
                    .connectTimeout(5, TimeUnit.SECONDS)
                    .readTimeout(30, TimeUnit.SECONDS)
                    .build(UpstreamModerationsApi.class);
            api = client;
        }
        return client;
    }

    /** A failure of the upstream itself: worth a retry, then a 503 for the caller. */
    public static class UpstreamFailure extends RuntimeException {
        UpstreamFailure(String message) {
            super(message);
        }
    }
}
