package dev.meridian.assistants.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.assistants.service.Runs;
import dev.meridian.assistants.service.Threads;
import dev.meridian.common.api.DeletionStatus;
import dev.meridian.assistants.api.ThreadObject;
import dev.meridian.common.security.Caller;
import io.quarkus.security.Authenticated;

@Path("/v1/threads")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Threads")
public class ThreadsResource {

    @Inject
    Threads threads;

    @Inject
    Runs runs;

    @Inject
    RunResponses responses;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create thread", description = "Optionally with initial messages, all stored or none")
    public ThreadObject create(ObjectNode body) throws JsonProcessingException {
        return threads.create(orEmpty(body), caller);
    }

    @POST
    @Path("runs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({ MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS })
    @Operation(summary = "Create thread and run", description = "With 'stream': true, the events as server-sent events")
    public Response createAndRun(ObjectNode body) throws JsonProcessingException {
        return responses.of(runs.createThreadAndRun(orEmpty(body), caller));
    }

    @GET
    @Path("{thread_id}")
    @Operation(summary = "Retrieve thread")
    public ThreadObject retrieve(@PathParam("thread_id") String id) {
        return threads.get(id, caller);
    }

    @POST
    @Path("{thread_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Modify thread")
    public ThreadObject modify(@PathParam("thread_id") String id, ObjectNode body) throws JsonProcessingException {
        return threads.modify(id, orEmpty(body), caller);
    }

    @DELETE
    @Path("{thread_id}")
    @Operation(summary = "Delete thread", description = "Its messages are deleted with it")
    public DeletionStatus delete(@PathParam("thread_id") String id) {
        return DeletionStatus.deleted(threads.delete(id, caller), ThreadObject.DELETED_OBJECT);
    }

    static ObjectNode orEmpty(ObjectNode body) {
        return body == null ? JsonNodeFactory.instance.objectNode() : body;
    }
}
