package dev.meridian.images.client;

/**
 * moderation-service answered a moderation request with a 4xx: it is up, but refuses what images-service sent (a
 * moderation model that takes no images, a model missing from the catalog, credentials it does not accept). That is a
 * configuration to fix, not an outage: a retry would get the same answer, and the circuit breaker does not count it.
 */
public class ModerationRefused extends RuntimeException {

    private final int status;

    public ModerationRefused(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
