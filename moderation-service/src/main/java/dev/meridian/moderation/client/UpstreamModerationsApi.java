package dev.meridian.moderation.client;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.common.api.StrictWireJson;
import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.common.client.RemoteError;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.quarkus.rest.client.reactive.jackson.ClientObjectMapper;

/** An OpenAI-compatible upstream's Moderations API, relative to its base URL (e.g. {@code https://api.openai.com/v1}). */
@Path("/moderations")
public interface UpstreamModerationsApi {

    /** An upstream server's answers are read tolerantly, not as strictly as our callers' requests. */
    @ClientObjectMapper
    static ObjectMapper objectMapper(ObjectMapper defaultObjectMapper) {
        return StrictWireJson.tolerant(defaultObjectMapper);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    ModerationResponse moderate(Map<String, Object> body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    /** Every error answer as a {@link RemoteError}, its status and envelope read once. */
    @ClientExceptionMapper
    static RemoteError error(Response response) {
        return RemoteError.of(response);
    }
}
