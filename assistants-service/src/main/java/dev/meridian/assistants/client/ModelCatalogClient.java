package dev.meridian.assistants.client;

import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.client.ModelCatalogApi;
import dev.meridian.common.error.ApiException;
import io.quarkus.cache.CacheKey;
import io.quarkus.cache.CacheResult;

/**
 * The model catalog as assistants-service needs it: does a model exist for the caller's org, and
 * what is it. Answers are cached per org and model; a slow or failing models-service trips the
 * breaker and callers get a 503 envelope instead of waiting.
 */
@ApplicationScoped
public class ModelCatalogClient {

    @Inject
    @RestClient
    ModelCatalogApi api;

    @CacheResult(cacheName = "catalog-models")
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = ApiException.class)
    public Optional<CatalogModel> find(@CacheKey String org, @CacheKey String model, String authorization) {
        try {
            return Optional.of(api.get(model, authorization));
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
