package dev.meridian.admin.service;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.meridian.access.ApiKeyIdentityProvider;
import dev.meridian.access.KeyGrant;
import dev.meridian.admin.entity.MemberEntity;
import dev.meridian.admin.entity.ProjectEntity;
import dev.meridian.admin.repository.MemberRepository;
import dev.meridian.admin.repository.OrgUserRepository;
import dev.meridian.admin.repository.ProjectRepository;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.security.Caller;
import dev.meridian.common.security.Projects;
import dev.meridian.common.security.Roles;

/**
 * Turns the caller into an {@link Actor}, making sure its organization's default project exists and, for a Keycloak
 * user, that the user is recorded in the organization's directory (so project owners can add them by id or email).
 */
@ApplicationScoped
public class Actors {

    public static final String DEFAULT_PROJECT_NAME = "Default project";

    /** Organizations and users already recorded by this process: their upserts are skipped. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    @Inject
    ProjectRepository projects;

    @Inject
    OrgUserRepository users;

    @Inject
    MemberRepository members;

    @Transactional
    public Actor of(Caller caller) {
        String org = caller.org();
        if (known.add("org:" + org)) {
            projects.getEntityManager().createNativeQuery("insert into project (id, org_id, name, is_default, created_at)"
                    + " values (?1, ?2, ?3, true, ?4) on conflict (id) do nothing")
                    .setParameter(1, Projects.defaultFor(org)).setParameter(2, org).setParameter(3, DEFAULT_PROJECT_NAME)
                    .setParameter(4, Instant.now().getEpochSecond()).executeUpdate();
        }
        if (caller.isApiKey()) {
            KeyGrant grant = caller.identity().getAttribute(ApiKeyIdentityProvider.KEY_GRANT_ATTRIBUTE);
            if (grant.isAdmin()) {
                return new Actor(org, caller.subject(), true, null, null, true);
            }
            return new Actor(org, caller.subject(), false, grant.projectId(), grant.role(), false);
        }
        if (caller.identity().getPrincipal() instanceof JsonWebToken jwt && known.add("user:" + org + ':' + caller.subject())) {
            String name = jwt.getClaim("name") != null ? jwt.getClaim("name").toString()
                    : jwt.getClaim("preferred_username") != null ? jwt.getClaim("preferred_username").toString() : null;
            Object email = jwt.getClaim("email");
            users.upsert(caller.subject(), org, name, email == null ? null : email.toString(), Instant.now().getEpochSecond());
        }
        return new Actor(org, caller.subject(), caller.hasRole(Roles.OWNER), null, null, false);
    }

    /** The actor's role in a project of its org ({@code owner} | {@code member}), or null when it has none. */
    public String roleIn(Actor actor, ProjectEntity project) {
        if (actor.isKey()) {
            return project.id.equals(actor.keyProject()) ? actor.keyRole() : null;
        }
        if (actor.orgOwner()) {
            return "owner";
        }
        return members.findMember(project.id, MemberEntity.USER, actor.subject()).map(m -> m.role)
                .orElse(project.isDefault ? "member" : null);
    }

    /** The project if the actor may see it; another org's project, or one the actor is not in, is a 404. */
    public ProjectEntity visible(Actor actor, String projectId) {
        ProjectEntity project = projects.findInOrg(projectId, actor.org()).orElse(null);
        if (project == null || roleIn(actor, project) == null) {
            throw notFound(projectId);
        }
        return project;
    }

    /** The project if the actor owns it (org owners own every project of their org). */
    public ProjectEntity managed(Actor actor, String projectId, String action) {
        ProjectEntity project = visible(actor, projectId);
        if (!"owner".equals(roleIn(actor, project))) {
            throw ApiException.forbidden("You have insufficient permissions for this operation: " + action
                    + " requires the 'owner' role in the project.");
        }
        return project;
    }

    /** Organization-wide operations: organization owners only (Keycloak's {@code owner} role, or an admin key). */
    public void requireOrgOwner(Actor actor, String action) {
        if (!actor.orgOwner()) {
            throw ApiException.forbidden("You have insufficient permissions for this operation: " + action
                    + " requires the 'owner' role in your organization.");
        }
    }

    public static ApiException notFound(String projectId) {
        return ApiException.notFound(null, "The project " + projectId + " was not found.", null);
    }

    /** Archived projects accept no changes. */
    public static void requireActive(ProjectEntity project) {
        if (project.archived()) {
            throw ApiException.invalid(null, "The project " + project.id + " is archived and cannot be changed.", "project_archived");
        }
    }
}
