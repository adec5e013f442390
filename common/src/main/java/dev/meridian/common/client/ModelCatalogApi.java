package dev.meridian.common.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.security.Caller;
import io.quarkus.oidc.token.propagation.common.AccessToken;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/**
 * models-service's catalog, as other services read it: which model exists for the caller's org and
 * which engine serves it. The caller's bearer credential is passed on by Quarkus's token propagation
 * ({@link AccessToken}), so visibility rules stay in one place.
 * The catalog-client module wraps it with the model check, a timeout, a circuit breaker and a cache ({@code ModelCatalog}).
 */
@RegisterRestClient(configKey = "models")
@AccessToken
@Path("/admin/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public interface ModelCatalogApi {

    @GET
    @Path("{model}")
    CatalogModel get(@PathParam("model") String model, @HeaderParam(Caller.PROJECT_HEADER) String project);

    /** Every error answer as a {@link RemoteError}, its status and envelope read once. */
    @ClientExceptionMapper
    static RemoteError error(Response response) {
        return RemoteError.of(response);
    }
}
