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

import dev.meridian.assistants.service.Assistants;
import dev.meridian.common.api.DeletionStatus;
import dev.meridian.common.api.ListResponse;
import dev.meridian.assistants.api.AssistantObject;
import dev.meridian.common.page.PageRequest;
import dev.meridian.common.security.Caller;
import io.quarkus.security.Authenticated;

@Path("/v1/assistants")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Assistants")
public class AssistantsResource {

    @Inject
    Assistants assistants;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create assistant")
    public AssistantObject create(ObjectNode body) throws JsonProcessingException {
        return assistants.create(ThreadsResource.orEmpty(body), caller);
    }

    @GET
    @Operation(summary = "List assistants")
    public ListResponse<AssistantObject> list(@RestQuery String limit, @RestQuery String order, @RestQuery String after,
            @RestQuery String before) {
        return assistants.list(PageRequest.parse(limit, order, after, before), caller);
    }

    @GET
    @Path("{assistant_id}")
    @Operation(summary = "Retrieve assistant")
    public AssistantObject retrieve(@PathParam("assistant_id") String id) {
        return assistants.get(id, caller);
    }

    @POST
    @Path("{assistant_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Modify assistant", description = "Only the fields sent change; a field sent as null is cleared")
    public AssistantObject modify(@PathParam("assistant_id") String id, ObjectNode body) throws JsonProcessingException {
        return assistants.modify(id, ThreadsResource.orEmpty(body), caller);
    }

    @DELETE
    @Path("{assistant_id}")
    @Operation(summary = "Delete assistant")
    public DeletionStatus delete(@PathParam("assistant_id") String id) {
        return DeletionStatus.deleted(assistants.delete(id, caller), AssistantObject.DELETED_OBJECT);
    }
}
