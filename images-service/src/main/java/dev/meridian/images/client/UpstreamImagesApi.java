package dev.meridian.images.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.common.api.StrictWireJson;
import dev.meridian.images.api.ImagesResponse;
import dev.meridian.common.client.RemoteError;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.quarkus.rest.client.reactive.jackson.ClientObjectMapper;

/** An upstream OpenAI-compatible Images API, relative to its base URL (which includes {@code /v1}). */
@Path("/images")
@Produces(MediaType.APPLICATION_JSON)
public interface UpstreamImagesApi {

    /** An upstream server's answers are read tolerantly, not as strictly as our callers' requests. */
    @ClientObjectMapper
    static ObjectMapper objectMapper(ObjectMapper defaultObjectMapper) {
        return StrictWireJson.tolerant(defaultObjectMapper);
    }

    @POST
    @Path("generations")
    @Consumes(MediaType.APPLICATION_JSON)
    ImagesResponse generate(java.util.Map<String, Object> body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @POST
    @Path("edits")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    ImagesResponse edit(ClientMultipartForm form, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @POST
    @Path("variations")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    ImagesResponse vary(ClientMultipartForm form, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    /** Every error answer as a {@link RemoteError}, its status and envelope read once. */
    @ClientExceptionMapper
    static RemoteError error(Response response) {
        return RemoteError.of(response);
    }
}
