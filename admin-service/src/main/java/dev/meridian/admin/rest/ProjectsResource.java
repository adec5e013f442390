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

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.admin.api.Deleted;
import dev.meridian.admin.api.Project;
import dev.meridian.admin.api.ProjectApiKey;
import dev.meridian.admin.api.ProjectRateLimit;
import dev.meridian.admin.api.ProjectServiceAccount;
import dev.meridian.admin.api.ProjectUser;
import dev.meridian.admin.service.Actor;
import dev.meridian.admin.service.Actors;
import dev.meridian.admin.service.KeyAdmin;
import dev.meridian.admin.service.MemberAdmin;
import dev.meridian.admin.service.ProjectAdmin;
import dev.meridian.admin.service.RateLimitAdmin;
import dev.meridian.common.api.ListResponse;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.page.PageRequest;
import dev.meridian.common.security.Caller;
import io.quarkus.security.Authenticated;

/** OpenAI's project administration API: projects, their users, service accounts and API keys. */
@Path("/v1/organization/projects")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Projects")
public class ProjectsResource {

    @Inject
    ProjectAdmin projects;

    @Inject
    MemberAdmin members;

    @Inject
    KeyAdmin keys;

    @Inject
    RateLimitAdmin rateLimits;

    @Inject
    Actors actors;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "List projects")
    public ListResponse<Project> list(@RestQuery String limit, @RestQuery String after,
            @RestQuery("include_archived") String includeArchived) {
        return projects.list(actor(), page(limit, after), flag("include_archived", includeArchived));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create project")
    public Project create(ObjectNode body) {
        return projects.create(actor(), orEmpty(body));
    }

    @GET
    @Path("{project_id}")
    @Operation(summary = "Retrieve project")
    public Project retrieve(@PathParam("project_id") String projectId) {
        return projects.get(actor(), projectId);
    }

    @POST
    @Path("{project_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Modify project")
    public Project modify(@PathParam("project_id") String projectId, ObjectNode body) {
        return projects.modify(actor(), projectId, orEmpty(body));
    }

    @POST
    @Path("{project_id}/archive")
    @Operation(summary = "Archive project")
    public Project archive(@PathParam("project_id") String projectId) {
        return projects.archive(actor(), projectId);
    }

    // users

    @GET
    @Path("{project_id}/users")
    @Operation(summary = "List project users")
    public ListResponse<ProjectUser> listUsers(@PathParam("project_id") String projectId, @RestQuery String limit,
            @RestQuery String after) {
        return members.listUsers(actor(), projectId, page(limit, after));
    }

    @POST
    @Path("{project_id}/users")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create project user")
    public ProjectUser addUser(@PathParam("project_id") String projectId, ObjectNode body) {
        return members.addUser(actor(), projectId, orEmpty(body));
    }

    @GET
    @Path("{project_id}/users/{user_id}")
    @Operation(summary = "Retrieve project user")
    public ProjectUser getUser(@PathParam("project_id") String projectId, @PathParam("user_id") String userId) {
        return members.getUser(actor(), projectId, userId);
    }

    @POST
    @Path("{project_id}/users/{user_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Modify project user")
    public ProjectUser modifyUser(@PathParam("project_id") String projectId, @PathParam("user_id") String userId, ObjectNode body) {
        return members.modifyUser(actor(), projectId, userId, orEmpty(body));
    }

    @DELETE
    @Path("{project_id}/users/{user_id}")
    @Operation(summary = "Delete project user")
    public Deleted removeUser(@PathParam("project_id") String projectId, @PathParam("user_id") String userId) {
        return members.removeUser(actor(), projectId, userId);
    }

    // service accounts

    @GET
    @Path("{project_id}/service_accounts")
    @Operation(summary = "List project service accounts")
    public ListResponse<ProjectServiceAccount> listServiceAccounts(@PathParam("project_id") String projectId,
            @RestQuery String limit, @RestQuery String after) {
        return members.listServiceAccounts(actor(), projectId, page(limit, after));
    }

    @POST
    @Path("{project_id}/service_accounts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create project service account")
    public ProjectServiceAccount createServiceAccount(@PathParam("project_id") String projectId, ObjectNode body) {
        return members.createServiceAccount(actor(), projectId, orEmpty(body));
    }

    @GET
    @Path("{project_id}/service_accounts/{service_account_id}")
    @Operation(summary = "Retrieve project service account")
    public ProjectServiceAccount getServiceAccount(@PathParam("project_id") String projectId,
            @PathParam("service_account_id") String id) {
        return members.getServiceAccount(actor(), projectId, id);
    }

    @POST
    @Path("{project_id}/service_accounts/{service_account_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Update project service account")
    public ProjectServiceAccount modifyServiceAccount(@PathParam("project_id") String projectId,
            @PathParam("service_account_id") String id, ObjectNode body) {
        return members.modifyServiceAccount(actor(), projectId, id, orEmpty(body));
    }

    @DELETE
    @Path("{project_id}/service_accounts/{service_account_id}")
    @Operation(summary = "Delete project service account")
    public Deleted deleteServiceAccount(@PathParam("project_id") String projectId, @PathParam("service_account_id") String id) {
        return members.deleteServiceAccount(actor(), projectId, id);
    }

    // rate limits

    @GET
    @Path("{project_id}/rate_limits")
    @Operation(summary = "List project rate limits")
    public ListResponse<ProjectRateLimit> listRateLimits(@PathParam("project_id") String projectId, @RestQuery String limit,
            @RestQuery String after) {
        return rateLimits.list(actor(), projectId, page(limit, after));
    }

    @POST
    @Path("{project_id}/rate_limits/{rate_limit_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Modify project rate limit")
    public ProjectRateLimit updateRateLimit(@PathParam("project_id") String projectId,
            @PathParam("rate_limit_id") String rateLimitId, ObjectNode body) {
        return rateLimits.update(actor(), projectId, rateLimitId, orEmpty(body));
    }

    // API keys

    @GET
    @Path("{project_id}/api_keys")
    @Operation(summary = "List project API keys")
    public ListResponse<ProjectApiKey> listKeys(@PathParam("project_id") String projectId, @RestQuery String limit,
            @RestQuery String after) {
        return keys.list(actor(), projectId, page(limit, after));
    }

    @POST
    @Path("{project_id}/api_keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a personal project API key (Meridian extension)")
    public ProjectApiKey createKey(@PathParam("project_id") String projectId, ObjectNode body) {
        return keys.createPersonal(actor(), projectId, orEmpty(body));
    }

    @GET
    @Path("{project_id}/api_keys/{api_key_id}")
    @Operation(summary = "Retrieve project API key")
    public ProjectApiKey getKey(@PathParam("project_id") String projectId, @PathParam("api_key_id") String keyId) {
        return keys.get(actor(), projectId, keyId);
    }

    @DELETE
    @Path("{project_id}/api_keys/{api_key_id}")
    @Operation(summary = "Delete project API key")
    public Deleted deleteKey(@PathParam("project_id") String projectId, @PathParam("api_key_id") String keyId) {
        return keys.delete(actor(), projectId, keyId);
    }

    private Actor actor() {
        return actors.of(caller);
    }

    /** Admin lists run oldest first and page forwards only, with {@code after}. */
    private static PageRequest page(String limit, String after) {
        return PageRequest.parse(limit, "asc", after, null);
    }

    private static ObjectNode orEmpty(ObjectNode body) {
        return body == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : body;
    }

    private static boolean flag(String name, String value) {
        if (value == null || value.isBlank() || "false".equals(value)) {
            return false;
        }
        if ("true".equals(value)) {
            return true;
        }
        throw ApiException.invalid(name, "Invalid value for '" + name + "': expected a boolean, but got '" + value + "' instead.",
                "invalid_type");
    }
}
