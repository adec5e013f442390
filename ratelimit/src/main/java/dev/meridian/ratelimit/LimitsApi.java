package dev.meridian.ratelimit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.meridian.common.client.RemoteError;
import dev.meridian.common.events.RateLimitData;
import dev.meridian.common.security.Caller;
import io.quarkus.oidc.token.propagation.common.AccessToken;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/** admin-service's answer: the caller's project's limits for a model, asked with the caller's own credential. */
@RegisterRestClient(configKey = "admin")
@AccessToken
@Path("/internal/v1/rate_limits")
@Produces(MediaType.APPLICATION_JSON)
public interface LimitsApi {

    @GET
    @Path("{model}")
    RateLimitData limits(@PathParam("model") String model, @QueryParam("capability") String capability,
            @HeaderParam(Caller.PROJECT_HEADER) String project);

    /** Every error answer as a {@link RemoteError}, its status and envelope read once. */
    @ClientExceptionMapper
    static RemoteError error(Response response) {
        return RemoteError.of(response);
    }
}
