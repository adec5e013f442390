package dev.meridian.moderation.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.common.security.Caller;
import dev.meridian.moderation.service.Moderations;
import io.quarkus.security.Authenticated;

/** {@code POST /v1/moderations}. The body is read as a JSON tree because {@code input} takes three shapes. */
@Path("/v1/moderations")
@Tag(name = "Moderations")
public class ModerationsResource {

    @Inject
    Moderations moderations;

    @Inject
    Caller caller;

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create moderation")
    public ModerationResponse create(JsonNode body) {
        return moderations.moderate(body, caller);
    }
}
