package dev.meridian.images.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import dev.meridian.images.api.ImageGenerationRequest;
import dev.meridian.images.api.ImagesResponse;
import dev.meridian.common.client.ImagePrompt;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.security.Caller;
import dev.meridian.images.service.ImageContent;
import dev.meridian.images.service.ImageGeneration;
import dev.meridian.images.service.ImageUploads;
import io.quarkus.security.Authenticated;

@Path("/v1/images")
@Tag(name = "Images")
public class ImagesResource {

    @Inject
    ImageGeneration generation;

    @Inject
    ImageContent content;

    @Inject
    ImageUploads uploads;

    @Inject
    Caller caller;

    @POST
    @Path("generations")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create image")
    public ImagesResponse generate(ImageGenerationRequest body) {
        if (body == null) {
            throw ApiException.invalid("prompt", "Missing required parameter: 'prompt'.");
        }
        return generation.generate(body, caller);
    }

    @POST
    @Path("edits")
    @Authenticated
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create image edit", description = "Repaints the fully transparent area of the mask (or of the image)")
    public ImagesResponse edit(ImageUploadForm form) {
        return uploads.edit(form.toRequest(), caller);
    }

    @POST
    @Path("variations")
    @Authenticated
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create image variation")
    public ImagesResponse vary(ImageUploadForm form) {
        return uploads.vary(form.toRequest(), caller);
    }

    /** The URL is the credential (signed, expiring), as with OpenAI's image URLs: no token needed. */
    @GET
    @Path("content/{image_id}")
    @PermitAll
    @Produces("image/png")
    @Operation(summary = "An image behind a signed URL from a generation response")
    public RestResponse<byte[]> content(@PathParam("image_id") String id, @RestQuery String expires,
            @RestQuery String signature) {
        return RestResponse.ResponseBuilder.ok(content.png(id, expires, signature), "image/png")
                .header("Cache-Control", "private, max-age=300")
                .build();
    }

    /**
     * The prompt of a generated image, behind the signed URL that only {@code meridian.image.generated} events carry
     * (a signature of its own: an image URL does not open it). Not cached anywhere.
     */
    @GET
    @Path("content/{image_id}/prompt")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The prompt of a generated image, behind the signed URL of its event")
    public RestResponse<ImagePrompt> prompt(@PathParam("image_id") String id, @RestQuery String expires,
            @RestQuery String signature) {
        return RestResponse.ResponseBuilder.ok(new ImagePrompt(id, content.prompt(id, expires, signature)))
                .header("Cache-Control", "no-store")
                .build();
    }
}
