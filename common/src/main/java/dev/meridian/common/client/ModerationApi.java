package dev.meridian.common.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.meridian.common.api.moderations.ModerationRequest;
import dev.meridian.common.api.moderations.ModerationResponse;
import io.quarkus.oidc.token.propagation.common.AccessToken;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/**
 * moderation-service's Moderations API, as other services call it on their caller's behalf: the caller's bearer
 * credential is passed on by Quarkus's token propagation ({@link AccessToken}).
 */
@RegisterRestClient(configKey = "moderation")
@AccessToken
@Path("/v1/moderations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface ModerationApi {

    @POST
    ModerationResponse moderate(ModerationRequest request);

    /** Every error answer as a {@link RemoteError}, its status and envelope read once. */
    @ClientExceptionMapper
    static RemoteError error(Response response) {
        return RemoteError.of(response);
    }
}
