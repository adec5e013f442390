package dev.meridian.admin.rest;

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

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.admin.api.AdminApiKey;
import dev.meridian.admin.api.Deleted;
import dev.meridian.admin.service.AdminKeys;
import dev.meridian.admin.service.Actors;
import dev.meridian.common.api.ListResponse;
import dev.meridian.common.page.PageRequest;
import dev.meridian.common.security.Caller;
import io.quarkus.security.Authenticated;

/** OpenAI's organization admin keys. */
@Path("/v1/organization/admin_api_keys")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin API keys")
public class AdminApiKeysResource {

    @Inject
    AdminKeys keys;

    @Inject
    Actors actors;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "List admin API keys")
    public ListResponse<AdminApiKey> list(@RestQuery String limit, @RestQuery String order, @RestQuery String after) {
        return keys.list(actors.of(caller), PageRequest.parse(limit, order == null || order.isBlank() ? "asc" : order, after, null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create admin API key")
    public AdminApiKey create(ObjectNode body) {
        return keys.create(actors.of(caller), body == null ? JsonNodeFactory.instance.objectNode() : body);
    }

    @GET
    @Path("{key_id}")
    @Operation(summary = "Retrieve admin API key")
    public AdminApiKey retrieve(@PathParam("key_id") String id) {
        return keys.get(actors.of(caller), id);
    }

    @DELETE
    @Path("{key_id}")
    @Operation(summary = "Delete admin API key")
    public Deleted delete(@PathParam("key_id") String id) {
        return keys.delete(actors.of(caller), id);
    }
}
