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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.assistants.service.Messages;
import dev.meridian.common.api.DeletionStatus;
import dev.meridian.common.api.ListResponse;
import dev.meridian.assistants.api.MessageObject;
import dev.meridian.common.page.PageRequest;
import dev.meridian.common.security.Caller;
import io.quarkus.security.Authenticated;

@Path("/v1/threads/{thread_id}/messages")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Messages")
public class MessagesResource {

    @Inject
    Messages messages;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create message")
    public MessageObject create(@PathParam("thread_id") String threadId, ObjectNode body) throws JsonProcessingException {
        return messages.create(threadId, ThreadsResource.orEmpty(body), caller);
    }

    @GET
    @Operation(summary = "List messages")
    public ListResponse<MessageObject> list(@PathParam("thread_id") String threadId, @RestQuery String limit,
            @RestQuery String order, @RestQuery String after, @RestQuery String before,
            @RestQuery("run_id") String runId) {
        return messages.list(threadId, runId, PageRequest.parse(limit, order, after, before), caller);
    }

    @GET
    @Path("{message_id}")
    @Operation(summary = "Retrieve message")
    public MessageObject retrieve(@PathParam("thread_id") String threadId, @PathParam("message_id") String id) {
        return messages.get(threadId, id, caller);
    }

    @POST
    @Path("{message_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Modify message", description = "Only metadata can change")
    public MessageObject modify(@PathParam("thread_id") String threadId, @PathParam("message_id") String id,
            ObjectNode body) throws JsonProcessingException {
        return messages.modify(threadId, id, ThreadsResource.orEmpty(body), caller);
    }

    @DELETE
    @Path("{message_id}")
    @Operation(summary = "Delete message")
    public DeletionStatus delete(@PathParam("thread_id") String threadId, @PathParam("message_id") String id) {
        return DeletionStatus.deleted(messages.delete(threadId, id, caller), MessageObject.DELETED_OBJECT);
    }
}
