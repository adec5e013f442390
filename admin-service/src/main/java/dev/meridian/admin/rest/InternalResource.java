package dev.meridian.admin.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.meridian.access.ApiKeyIdentityProvider;
import dev.meridian.access.KeyGrant;
import dev.meridian.access.ProjectGrant;
import dev.meridian.admin.service.Actors;
import dev.meridian.admin.service.LocalDirectory;
import dev.meridian.admin.service.RateLimitAdmin;
import dev.meridian.common.events.RateLimitData;
import org.jboss.resteasy.reactive.RestQuery;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.security.Caller;
import io.quarkus.security.Authenticated;

/**
 * What the other services ask on a cache miss, about the credential they were given and pass on: what a key grants,
 * and a user's membership of a project. Nothing here reveals more than the credential's holder already knows, so the
 * path needs no secret of its own; it is still kept off the edge and the Ingress.
 */
@Path("/internal/v1")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class InternalResource {

    @Inject
    Caller caller;

    @Inject
    Actors actors;

    @Inject
    LocalDirectory directory;

    @Inject
    RateLimitAdmin rateLimits;

    @GET
    @Path("api_keys/self")
    @Operation(summary = "The grant of the presented API key")
    public KeyGrant key() {
        KeyGrant grant = caller.identity().getAttribute(ApiKeyIdentityProvider.KEY_GRANT_ATTRIBUTE);
        if (grant == null) {
            throw ApiException.notFound(null, "The presented credential is not an API key.", null);
        }
        return grant;
    }

    @GET
    @Path("rate_limits/{model}")
    @Operation(summary = "The caller's project's rate limits for a model")
    public RateLimitData rateLimits(@PathParam("model") String model, @RestQuery String capability) {
        if (capability == null || capability.isBlank()) {
            throw ApiException.invalid("capability", "Missing required parameter: 'capability'.", "missing_required_parameter");
        }
        return rateLimits.effective(caller.project(), model, capability);
    }

    @GET
    @Path("projects/{project_id}/grant")
    @Operation(summary = "The presented user's membership of a project")
    public ProjectGrant project(@PathParam("project_id") String projectId) {
        if (caller.isApiKey()) {
            throw ApiException.notFound(null, "Memberships are answered for users, not API keys.", null);
        }
        return directory.grant(actors.of(caller), projectId).orElseThrow(() -> Actors.notFound(projectId));
    }
}
