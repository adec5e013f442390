package dev.meridian.common.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/**
 * images-service's image content, as other services read it: the PNG behind a signed URL, and the prompt behind the
 * signed prompt URL of the image's event, where the signature and expiry are the credential (no token). Services wrap
 * this interface with timeouts and retries in their own {@code client} package.
 */
@RegisterRestClient(configKey = "images")
@Path("/v1/images/content")
public interface ImageContentApi {

    @GET
    @Path("{image_id}")
    @Produces("image/png")
    byte[] png(@PathParam("image_id") String imageId, @QueryParam("expires") String expires,
            @QueryParam("signature") String signature);

    /** The prompt behind the signed prompt URL of a {@code meridian.image.generated} event. */
    @GET
    @Path("{image_id}/prompt")
    @Produces(MediaType.APPLICATION_JSON)
    ImagePrompt prompt(@PathParam("image_id") String imageId, @QueryParam("expires") String expires,
            @QueryParam("signature") String signature);

    /** Every error answer as a {@link RemoteError}, its status and envelope read once. */
    @ClientExceptionMapper
    static RemoteError error(Response response) {
        return RemoteError.of(response);
    }
}
