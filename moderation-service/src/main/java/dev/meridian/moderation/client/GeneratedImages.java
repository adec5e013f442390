package dev.meridian.moderation.client;

import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.meridian.common.client.ImageContentApi;
import dev.meridian.common.client.RemoteError;

/**
 * Generated images as the review reads them from images-service (its base URL from configuration only, never from an
 * event): a timeout per attempt and two retries; four failed attempts in a row open a circuit breaker for 10 s, so
 * during an images-service outage the review does not wait on it for every event.
 */
@ApplicationScoped
public class GeneratedImages {

    @Inject
    @RestClient
    ImageContentApi api;

    /**
     * The PNG behind a signed URL's expiry and signature, or empty when images-service says the image is gone
     * (revoked, expired or purged: 404 or 410).
     *
     * @throws Refused when images-service refuses the request (another 4xx, such as 403 for a signature it does not
     *         accept): asking again would not help, so it is neither retried nor counted by the breaker
     * @throws RemoteError when images-service answers a server error, after the retries
     * @throws ProcessingException when it cannot be reached, after the retries
     * @throws FaultToleranceException on a timeout or an open breaker
     */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 500, abortOn = Refused.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 1.0, delay = 10, delayUnit = ChronoUnit.SECONDS,
            skipOn = Refused.class)
    public Optional<byte[]> png(String imageId, String expires, String signature) {
        try {
            return Optional.of(api.png(imageId, expires, signature));
        } catch (RemoteError e) {
            if (isGone(e)) {
                return Optional.empty();
            }
            throw failure(e);
        }
    }

    /**
     * The prompt behind the signed prompt URL's expiry and signature of a {@code meridian.image.generated} event, or
     * empty when the image is gone or was a variation; failures as {@link #png}.
     */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 500, abortOn = Refused.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 1.0, delay = 10, delayUnit = ChronoUnit.SECONDS,
            skipOn = Refused.class)
    public Optional<String> prompt(String imageId, String expires, String signature) {
        try {
            return Optional.ofNullable(api.prompt(imageId, expires, signature).prompt());
        } catch (RemoteError e) {
            if (isGone(e)) {
                return Optional.empty();
            }
            throw failure(e);
        }
    }

    private static boolean isGone(RemoteError e) {
        int status = e.status();
        return status == 404 || status == 410;
    }

    /** What an error answer becomes: {@link Refused} for a 4xx other than gone, else the exception itself. */
    private static RuntimeException failure(RemoteError e) {
        int status = e.status();
        return status / 100 == 4 && !isGone(e) ? new Refused("images-service answered HTTP " + status) : e;
    }

    /** images-service refused to serve the image for a reason a retry would not change. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }
}
