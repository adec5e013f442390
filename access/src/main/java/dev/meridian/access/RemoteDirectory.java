package dev.meridian.access;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import dev.meridian.common.client.RemoteError;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.error.ErrorType;
import io.quarkus.arc.DefaultBean;
import io.smallrye.faulttolerance.api.CircuitBreakerName;

/**
 * admin-service asked over HTTP. A 401/403/404 is a definite "no"; anything else (no connection, a timeout, a 5xx)
 * is a 503 for this request, never a "no" that would be cached. Each question has a circuit breaker: when half of the
 * last 10 failed, for 5 s requests get their 503 at once instead of waiting on admin-service's timeouts (its settings:
 * {@code quarkus.fault-tolerance."dev.meridian.access.RemoteDirectory/key".circuit-breaker.*}; see operations.md).
 */
@DefaultBean
@ApplicationScoped
public class RemoteDirectory implements Directory {

    /** The circuit breakers' names, for their state in metrics and tests. */
    public static final String KEYS_BREAKER = "admin-service-keys";
    public static final String PROJECTS_BREAKER = "admin-service-projects";

    private static final Logger LOG = Logger.getLogger(RemoteDirectory.class);

    @Inject
    @RestClient
    AdminApi admin;

    @Override
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            failOn = Unavailable.class)
    @CircuitBreakerName(KEYS_BREAKER)
    @Fallback(fallbackMethod = "keyUnavailable", applyOn = CircuitBreakerOpenException.class)
    public Optional<KeyGrant> key(String key) {
        try {
            return Optional.of(admin.key("Bearer " + key));
        } catch (RemoteError e) {
            return refused(e, "API key");
        } catch (ProcessingException e) {
            throw unavailable(e);
        }
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            failOn = Unavailable.class)
    @CircuitBreakerName(PROJECTS_BREAKER)
    @Fallback(fallbackMethod = "projectUnavailable", applyOn = CircuitBreakerOpenException.class)
    public Optional<ProjectGrant> project(String projectId) {
        try {
            return Optional.of(admin.project(projectId));
        } catch (RemoteError e) {
            return refused(e, "project membership");
        } catch (ProcessingException e) {
            throw unavailable(e);
        }
    }

    private static <T> Optional<T> refused(RemoteError e, String what) {
        int status = e.status();
        if (status == 401 || status == 403 || status == 404) {
            return Optional.empty();
        }
        throw unavailable(e);
    }

    /** {@link #key}'s answer while its breaker is open: the same 503, without asking. */
    Optional<KeyGrant> keyUnavailable(String key) {
        throw unavailable("circuit breaker " + KEYS_BREAKER + " is open");
    }

    /** {@link #project}'s answer while its breaker is open. */
    Optional<ProjectGrant> projectUnavailable(String projectId) {
        throw unavailable("circuit breaker " + PROJECTS_BREAKER + " is open");
    }

    private static Unavailable unavailable(Object why) {
        LOG.warnf("admin-service unavailable for a credential check: %s", why);
        return new Unavailable();
    }

    /** admin-service could not answer: a 503 with {@code retry-after: 1}, and a failure for the breaker. */
    static final class Unavailable extends ApiException {
        Unavailable() {
            super(503, ErrorType.SERVER, "Your credentials could not be checked because the administration service is"
                    + " temporarily unavailable. Please retry your request shortly.", null, null);
            withHeaders(Map.of("retry-after", "1"));
        }
    }
}
