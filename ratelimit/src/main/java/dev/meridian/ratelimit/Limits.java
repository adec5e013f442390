package dev.meridian.ratelimit;

import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.meridian.common.client.RemoteError;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.events.RateLimitData;
import dev.meridian.common.security.Caller;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * The projects' limits per model, from admin-service on a miss and replaced by its {@code meridian.rate_limit.updated}
 * events, which every replica reads (a consumer group of its own), so a change applies everywhere within a second.
 */
@ApplicationScoped
public class Limits {

    /** The circuit breaker's name, for its state in metrics and tests. */
    public static final String BREAKER = "admin-service-rate-limits";

    private static final Logger LOG = Logger.getLogger(Limits.class);

    private final Cache<String, RateLimitData> known;

    @Inject
    @RestClient
    LimitsApi admin;

    @Inject
    ObjectMapper json;

    @Inject
    public Limits(RateLimitsConfig config) {
        known = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.limitsTtl()).build();
    }

    /** The caller's project's limits for {@code model} (blocking on a miss). */
    public RateLimitData of(Caller caller, String model, String capability) {
        return known.get(caller.project() + '/' + model, key -> fetch(model, capability, caller.project()));
    }

    /**
     * admin-service's answer (this bean's interceptors apply: Quarkus intercepts self-invocation). When half of the
     * last 10 asks failed, for 5 s a miss gets its 503 at once instead of waiting on admin-service's timeouts.
     */
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS)
    @CircuitBreakerName(BREAKER)
    @Fallback(fallbackMethod = "breakerOpen", applyOn = CircuitBreakerOpenException.class)
    RateLimitData fetch(String model, String capability, String project) {
        try {
            return admin.limits(model, capability, project);
        } catch (RemoteError | ProcessingException e) {
            throw unavailable(model, e.toString());
        }
    }

    /** {@link #fetch}'s answer while its breaker is open: the same 503, without asking. */
    RateLimitData breakerOpen(String model, String capability, String project) {
        throw unavailable(model, "its circuit breaker is open");
    }

    private static ApiException unavailable(String model, String why) {
        LOG.warnf("admin-service unavailable for the rate limits of %s: %s", model, why);
        return ApiException.unavailable("The rate limits for '" + model + "' could not be read because the"
                + " administration service is temporarily unavailable. Please retry your request shortly.");
    }

    /** The limits last known for a project and model, or null (work that outlives its request settles with this). */
    public RateLimitData known(String project, String model) {
        return known.getIfPresent(project + '/' + model);
    }

    /**
     * A project's new limits, on a worker thread: {@link #of} holds the cache entry while it asks admin-service, whose
     * answer a Vert.x event loop delivers, so an event loop waiting here for that entry could wait for itself.
     */
    @Incoming("meridian-limits")
    @Blocking
    public CompletionStage<Void> onEvent(Message<String> message) {
        IncomingCloudEventMetadata<?> event = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (event != null && EventTypes.RATE_LIMIT_UPDATED.equals(event.getType())) {
            try {
                RateLimitData limits = json.readValue(message.getPayload(), RateLimitData.class);
                known.put(limits.projectId() + '/' + limits.model(), limits);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                LOG.errorf("Unreadable rate limit event %s skipped: %s", event.getId(), e.getOriginalMessage());
            }
        }
        return message.ack();
    }
}
