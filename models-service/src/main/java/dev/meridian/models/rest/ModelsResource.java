package dev.meridian.models.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.meridian.common.api.DeletionStatus;
import dev.meridian.common.api.ListResponse;
import dev.meridian.common.api.models.Model;
import dev.meridian.common.security.Caller;
import dev.meridian.models.mapping.ModelMapper;
import dev.meridian.models.service.Catalog;
import io.quarkus.security.Authenticated;

/** OpenAI's Models API. Model ids may contain {@code :} and {@code /}; the path captures them whole. */
@Path("/v1/models")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Models", description = "OpenAI Models API")
public class ModelsResource {

    @Inject
    Catalog catalog;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "List models", description = "Base models of the platform plus the caller's org's own models")
    public ListResponse<Model> list() {
        return ListResponse.of(catalog.visibleTo(caller).stream().map(ModelMapper::toModel).toList(), Model::id);
    }

    @GET
    @Path("{model: .+}")
    @Operation(summary = "Retrieve model")
    public Model retrieve(@PathParam("model") String model) {
        return ModelMapper.toModel(catalog.get(model, caller));
    }

    @DELETE
    @Path("{model: .+}")
    @Operation(summary = "Delete a fine-tuned model", description = "Requires the owner role in the org that owns the model")
    public DeletionStatus delete(@PathParam("model") String model) {
        return DeletionStatus.deleted(catalog.delete(model, caller).id, Model.OBJECT);
    }
}
