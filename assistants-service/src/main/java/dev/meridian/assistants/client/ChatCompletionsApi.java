package dev.meridian.assistants.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.common.client.RemoteError;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Multi;

/**
 * An OpenAI-compatible server's {@code POST /chat/completions} with {@code stream: true}: the REST
 * client reads the server-sent events and hands over each event's data (a chunk, or {@code [DONE]}).
 * Built per base URL by the engine package's {@code UpstreamChat}.
 */
@Path("/chat/completions")
public interface ChatCompletionsApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    Multi<String> stream(ObjectNode body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    /** An error answer as a {@link RemoteError}: its status, {@code retry-after} and message, read leniently. */
    @ClientExceptionMapper
    static RemoteError error(Response response) {
        return RemoteError.of(response);
    }
}
