package dev.meridian.assistants.rest;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.assistants.service.Runs;
import dev.meridian.common.api.ListResponse;
import dev.meridian.assistants.api.RunObject;
import dev.meridian.assistants.api.RunStepObject;
import dev.meridian.common.page.PageRequest;
import dev.meridian.common.security.Caller;
import io.quarkus.security.Authenticated;

@Path("/v1/threads/{thread_id}/runs")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Runs")
public class RunsResource {

    @Inject
    Runs runs;

    @Inject
    RunResponses responses;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({ MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS })
    @Operation(summary = "Create run", description = "With 'stream': true, the run's events as server-sent events")
    public Response create(@PathParam("thread_id") String threadId, ObjectNode body) throws JsonProcessingException {
        return responses.of(runs.create(threadId, ThreadsResource.orEmpty(body), caller));
    }

    @GET
    @Operation(summary = "List runs")
    public ListResponse<RunObject> list(@PathParam("thread_id") String threadId, @RestQuery String limit,
            @RestQuery String order, @RestQuery String after, @RestQuery String before) {
        return runs.list(threadId, PageRequest.parse(limit, order, after, before), caller);
    }

    @GET
    @Path("{run_id}")
    @Operation(summary = "Retrieve run")
    public RunObject retrieve(@PathParam("thread_id") String threadId, @PathParam("run_id") String runId) {
        return runs.get(threadId, runId, caller);
    }

    @POST
    @Path("{run_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Modify run", description = "Only metadata can change")
    public RunObject modify(@PathParam("thread_id") String threadId, @PathParam("run_id") String runId, ObjectNode body)
            throws JsonProcessingException {
        return runs.modify(threadId, runId, ThreadsResource.orEmpty(body), caller);
    }

    @POST
    @Path("{run_id}/submit_tool_outputs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({ MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS })
    @Operation(summary = "Submit tool outputs to run")
    public Response submitToolOutputs(@PathParam("thread_id") String threadId, @PathParam("run_id") String runId,
            ObjectNode body) throws JsonProcessingException {
        return responses.of(runs.submitToolOutputs(threadId, runId, ThreadsResource.orEmpty(body), caller));
    }

    @POST
    @Path("{run_id}/cancel")
    @Operation(summary = "Cancel a run")
    public RunObject cancel(@PathParam("thread_id") String threadId, @PathParam("run_id") String runId) {
        return runs.cancel(threadId, runId, caller);
    }

    @GET
    @Path("{run_id}/steps")
    @Operation(summary = "List run steps")
    public ListResponse<RunStepObject> steps(@PathParam("thread_id") String threadId, @PathParam("run_id") String runId,
            @RestQuery String limit, @RestQuery String order, @RestQuery String after, @RestQuery String before,
            @RestQuery("include[]") List<String> include) {
        return runs.listSteps(threadId, runId, PageRequest.parse(limit, order, after, before), include, caller);
    }

    @GET
    @Path("{run_id}/steps/{step_id}")
    @Operation(summary = "Retrieve run step")
    public RunStepObject step(@PathParam("thread_id") String threadId, @PathParam("run_id") String runId,
            @PathParam("step_id") String stepId, @RestQuery("include[]") List<String> include) {
        return runs.getStep(threadId, runId, stepId, include, caller);
    }
}
