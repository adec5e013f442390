package dev.meridian.models.rest;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import dev.meridian.common.api.ListResponse;
import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.models.api.RegisterModelRequest;
import dev.meridian.common.security.Caller;
import dev.meridian.models.mapping.ModelMapper;
import dev.meridian.models.service.Catalog;
import io.quarkus.security.Authenticated;

/**
 * Catalog administration, outside the OpenAI surface (the edge routes it like the rest). Any caller may
 * read the bindings of the models it can see (other services resolve engines here); registering needs
 * the {@code owner} role.
 */
@Path("/admin/v1/models")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Catalog administration", description = "Model registration and engine bindings")
public class CatalogAdminResource {

    @Inject
    Catalog catalog;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "List catalog entries visible to the caller's org, with engine bindings")
    public ListResponse<CatalogModel> list() {
        return ListResponse.of(catalog.visibleTo(caller), CatalogModel::id);
    }

    @GET
    @Path("{model: .+}")
    @Operation(summary = "Retrieve a catalog entry with its engine binding")
    public CatalogModel get(@PathParam("model") String model) {
        return catalog.get(model, caller);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a model for the caller's org, with its engine binding (owner role)")
    public RestResponse<CatalogModel> register(@Valid @NotNull(message = "a JSON body is required") RegisterModelRequest body) {
        return RestResponse.status(RestResponse.Status.CREATED, ModelMapper.toCatalog(catalog.register(body, caller)));
    }
}
