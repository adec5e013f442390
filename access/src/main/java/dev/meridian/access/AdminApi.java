package dev.meridian.access;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.meridian.common.client.RemoteError;
import io.quarkus.oidc.token.propagation.common.AccessToken;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/**
 * admin-service's internal answers about the presented credential (not routed by the edge or the Ingress): an API key
 * being authenticated is sent as the credential to check; a membership is asked with the current request's own
 * credential, by Quarkus's token propagation.
 */
@RegisterRestClient(configKey = "admin")
@Path("/internal/v1")
@Produces(MediaType.APPLICATION_JSON)
public interface AdminApi {

    @GET
    @Path("api_keys/self")
    KeyGrant key(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @GET
    @Path("projects/{project_id}/grant")
    @AccessToken
    ProjectGrant project(@PathParam("project_id") String projectId);

    /** Every error answer as a {@link RemoteError}, its status and envelope read once. */
    @ClientExceptionMapper
    static RemoteError error(Response response) {
        return RemoteError.of(response);
    }
}
