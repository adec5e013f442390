package dev.meridian.images.client;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import dev.meridian.images.api.ImagesResponse;
import dev.meridian.common.client.RemoteError;
import dev.meridian.common.client.UpstreamErrors;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.error.ErrorType;
import dev.meridian.images.config.ImagesConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Calls the upstream Images API with a timeout, retries on its server errors, and a breaker. The
 * caller's own mistakes the upstream reports (400, a content policy refusal) reach the caller as
 * our envelope; the upstream's failures (5xx, unreachable, bad credentials) become 502/503.
 */
@ApplicationScoped
public class UpstreamImages {

    @Inject
    ImagesConfig config;

    private volatile UpstreamImagesApi api;

    /** One upstream request, e.g. {@code (api, auth) -> api.generate(body, auth)}. */
    @Timeout(value = 120, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 300, retryOn = UpstreamFailure.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
            skipOn = ApiException.class)
    public ImagesResponse send(BiFunction<UpstreamImagesApi, String, ImagesResponse> request) {
        return call(request);
    }

    private ImagesResponse call(BiFunction<UpstreamImagesApi, String, ImagesResponse> request) {
        String auth = config.upstream().apiKey().map(key -> "Bearer " + key).orElse(null);
        try {
            return request.apply(client(), auth);
        } catch (RemoteError e) {
            ApiException forCaller = UpstreamErrors.translate(e, "image engine upstream");
            if (forCaller != null) {
                throw forCaller;
            }
            throw new UpstreamFailure("upstream answered " + e.status());
        } catch (ProcessingException e) {
            throw new UpstreamFailure("upstream unreachable: " + e.getMessage());
        }
    }

    private UpstreamImagesApi client() {
        UpstreamImagesApi client = api;
        if (client == null) {
            String base = config.upstream().baseUrl().orElseThrow(() -> new ApiException(503, ErrorType.SERVER,
                    "The image engine upstream is not configured on this server.", null, null));
            client = QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create(base))
                    .connectTimeout(5, TimeUnit.SECONDS)
                    .readTimeout(120, TimeUnit.SECONDS)
                    .build(UpstreamImagesApi.class);
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
