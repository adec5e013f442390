package dev.meridian.common.client;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

import dev.meridian.common.error.ApiException;
import dev.meridian.common.error.ErrorType;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.Guard;

/**
 * The one way a service calls an OpenAI-compatible server (OpenAI, Ollama, vLLM, LocalAI, …): a REST client of
 * interface {@code A} per base URL with the configured connect and read timeouts, and the configured key as a bearer
 * token. A call answered at once ({@link #call}) also gets the configured retries of the upstream's failures, a
 * circuit breaker, and the upstream's errors translated for our caller ({@link UpstreamErrors}). A stream takes the
 * client and the key alone and handles its own failures: what has streamed cannot be retried.
 * <p>
 * The breaker, named as the upstream, sees every attempt: by default when half of the last 10 failed it opens, and for
 * 10 s calls fail at once with a 503 instead of waiting on a server that is down; then a trial call decides whether it
 * closes ({@link UpstreamConfig.Breaker}).
 */
public final class OpenAiUpstream<A> {

    private static final Logger LOG = Logger.getLogger(OpenAiUpstream.class);

    private final String name;
    private final Class<A> api;
    private final UpstreamConfig config;
    private final Map<String, A> clients = new ConcurrentHashMap<>();
    private final Guard guard;

    /**
     * @param name what the upstream is to our caller, e.g. {@code "image engine upstream"}
     * @param api  the REST client interface, whose paths are relative to the base URL
     */
    public OpenAiUpstream(String name, Class<A> api, UpstreamConfig config) {
        this.name = name;
        this.api = api;
        this.config = config;
        guard = Guard.create()
                .withDescription(name)
                .withRetry().maxRetries(config.maxRetries())
                .delay(config.retryDelay().toMillis(), ChronoUnit.MILLIS)
                .retryOn(UpstreamFailure.class).done()
                .withCircuitBreaker().name(name).requestVolumeThreshold(config.breaker().requestVolume())
                .failureRatio(config.breaker().failureRatio())
                .delay(config.breaker().delay().toMillis(), ChronoUnit.MILLIS).skipOn(ApiException.class).done()
                .build();
    }

    /** The configured upstream's client; a 503 for the caller when this server has none. */
    public A client() {
        String base = config.baseUrl().filter(url -> !url.isBlank()).orElseThrow(() -> new ApiException(503,
                ErrorType.SERVER, "The " + name + " is not configured on this server.", null, null));
        return client(base);
    }

    /** The client of the upstream at {@code baseUrl}, built once. */
    public A client(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return clients.computeIfAbsent(base, url -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(url))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(api));
    }

    /** The {@code Authorization} header for the configured key, or null when none is configured. */
    public String authorization() {
        return bearer(config.apiKey().filter(key -> !key.isBlank()).orElse(null));
    }

    /** The {@code Authorization} header for {@code key}, or null. */
    public static String bearer(String key) {
        return key == null ? null : "Bearer " + key;
    }

    /**
     * One request to the configured upstream, e.g. {@code (api, auth) -> api.generate(body, auth)}. The upstream's 400
     * reaches the caller as our envelope and its refusal of our credentials as a 502; its failures are retried, and
     * when they last (or the breaker is open) the caller gets {@link Unavailable}, a 503.
     */
    @SuppressWarnings("unchecked")
    public <T> T call(BiFunction<A, String, T> request) {
        try {
            return (T) guard.get(() -> attempt(request), Object.class);
        } catch (UpstreamFailure | FaultToleranceException e) {
            LOG.warnf("The %s is unavailable: %s", name, e.toString());
            throw new Unavailable(name);
        }
    }

    private <T> T attempt(BiFunction<A, String, T> request) {
        A client = client();
        try {
            return request.apply(client, authorization());
        } catch (RemoteError e) {
            ApiException forCaller = UpstreamErrors.translate(e, name);
            if (forCaller != null) {
                throw forCaller;
            }
            throw new UpstreamFailure(name + " answered " + e.status());
        } catch (ProcessingException e) {
            throw new UpstreamFailure(name + " unreachable: " + e.getMessage());
        }
    }

    /** A failure of the upstream itself: worth a retry. */
    static final class UpstreamFailure extends RuntimeException {
        UpstreamFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** The upstream failed beyond its retries, or its breaker is open: a 503 with {@code retry-after: 1}. */
    public static final class Unavailable extends ApiException {
        Unavailable(String name) {
            super(503, ErrorType.SERVER, "The " + name + " is temporarily unavailable. Please retry your request"
                    + " shortly.", null, null);
            withHeaders(Map.of("retry-after", "1"));
        }
    }
}
