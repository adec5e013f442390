package dev.meridian.models.rest;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.meridian.common.api.DeletionStatus;
import dev.meridian.common.api.ListResponse;
import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.api.models.Model;
import dev.meridian.common.security.Caller;
import dev.meridian.models.mapping.ModelMapper;
import dev.meridian.models.service.Catalog;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

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

    @Inject
    ManagedExecutor workers;

    /**
     * Answered on the event loop when the project's models are in memory, the common case; loaded from the database
     * (and the caller's membership of a named project checked) on a worker thread otherwise. Handing every request to a
     * worker cost more than the rest of the answer.
     */
    @GET
    @Operation(summary = "List models", description = "Base models of the platform plus the caller's org's own models")
    public Uni<ListResponse<Model>> list() {
        return catalog.visibleInMemory(caller)
                .map(models -> Uni.createFrom().item(page(models)))
                .orElseGet(() -> Uni.createFrom().item(() -> page(catalog.visibleTo(caller))).runSubscriptionOn(workers));
    }

    private static ListResponse<Model> page(List<CatalogModel> models) {
        return ListResponse.of(models.stream().map(ModelMapper::toModel).toList(), Model::id);
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
