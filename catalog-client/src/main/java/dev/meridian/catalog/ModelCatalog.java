package dev.meridian.catalog;

import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.meridian.common.api.models.Capability;
import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.client.ModelCatalogApi;
import dev.meridian.common.client.RemoteError;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.security.Caller;
import io.quarkus.cache.CacheResult;

/**
 * The model catalog as the serving services need it: which model the caller's org may use and which
 * engine serves it. Answers are cached per org, project and model ({@code catalog-models} cache); a slow or
 * failing models-service trips the breaker. While it is away, a model whose answer is older than the cache but
 * younger than {@code meridian.catalog.stale-if-error} is answered as last known, so a catalog that is slow for a
 * moment does not refuse every request that needed a fresh answer then; a model not known that recently gets a 503
 * envelope instead of waiting.
 */
@ApplicationScoped
public class ModelCatalog {

    private static final Logger LOG = Logger.getLogger(ModelCatalog.class);

    @Inject
    @RestClient
    ModelCatalogApi api;

    /** The last answer per org, project and model (absent models too), kept {@code stale-if-error} after it came. */
    private final Cache<Key, Optional<CatalogModel>> lastKnown;

    private record Key(String org, String project, String model) {
    }

    /** Kept for as many keys as the {@code catalog-models} cache holds. */
    @Inject
    public ModelCatalog(CatalogConfig config,
            @ConfigProperty(name = "quarkus.cache.caffeine.catalog-models.maximum-size") long maximumSize) {
        lastKnown = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(config.staleIfError()).build();
    }

    /**
     * The catalog entry for {@code model} if the caller's org may use it for {@code capability}.
     *
     * @throws ApiException 400 {@code model_not_found} or {@code unsupported_model}, or 503 when the catalog is unreachable
     */
    public CatalogModel require(String model, Capability capability, String api, Caller caller) {
        return require(model, capability, api, caller, 400);
    }

    /** As {@link #require(String, Capability, String, Caller)}, answering an unknown model with {@code unknownStatus}. */
    public CatalogModel require(String model, Capability capability, String api, Caller caller, int unknownStatus) {
        Optional<CatalogModel> found;
        try {
            found = find(caller.org(), caller.project(), model);
        } catch (RemoteError | ProcessingException | FaultToleranceException e) {
            // an answer other than 200/404, no connection, a timeout or an open breaker: the catalog is away; a 4xx
            // other than 404 (the caller's credential refused, say) is an answer about this caller, not an outage,
            // and no earlier answer overrides it
            boolean away = !(e instanceof RemoteError answered && answered.status() < 500);
            found = away ? lastKnown.getIfPresent(new Key(caller.org(), caller.project(), model)) : null;
            if (found == null) {
                LOG.warnf("Model catalog unavailable while checking '%s': %s", model, e.toString());
                throw ApiException.unavailable("The model catalog is temporarily unavailable, so the model could not be"
                        + " checked. Please retry your request shortly.");
            }
            LOG.warnf("Model catalog unavailable while checking '%s', answered as last known: %s", model, e.toString());
        }
        String unknown = "The requested model '" + model + "' does not exist.";
        CatalogModel entry = found.orElseThrow(() -> unknownStatus == 404
                ? ApiException.notFound("model", unknown, "model_not_found")
                : ApiException.invalid("model", unknown, "model_not_found"));
        if (entry.capability() != capability) {
            String kind = entry.capability().wireName();
            throw ApiException.invalid("model", "The model '" + model + "' cannot be used with the " + api + ": it is"
                    + (kind.matches("[aeiou].*") ? " an " : " a ") + kind + " model.", "unsupported_model");
        }
        return entry;
    }

    @CacheResult(cacheName = "catalog-models")
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS)
    public Optional<CatalogModel> find(String org, String project, String model) {
        Optional<CatalogModel> found;
        try {
            found = Optional.of(api.get(model, project));
        } catch (RemoteError e) {
            if (e.status() != 404) {
                throw e;
            }
            found = Optional.empty();
        }
        lastKnown.put(new Key(org, project, model), found);
        return found;
    }
}
