package dev.meridian.admin.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.access.ApiKeys;
import dev.meridian.access.KeyGrant;
import dev.meridian.admin.api.Deleted;
import dev.meridian.admin.api.ProjectApiKey;
import dev.meridian.admin.entity.ApiKeyEntity;
import dev.meridian.admin.entity.MemberEntity;
import dev.meridian.admin.entity.ProjectEntity;
import dev.meridian.admin.mapping.AdminMapper;
import dev.meridian.admin.repository.ApiKeyRepository;
import dev.meridian.admin.repository.MemberRepository;
import dev.meridian.admin.repository.OrgUserRepository;
import dev.meridian.admin.repository.ProjectRepository;
import dev.meridian.common.api.ListResponse;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.id.Ids;
import dev.meridian.common.page.Page;
import dev.meridian.common.page.PageRequest;

/**
 * Project API keys. A key works while its project is active and its owner still belongs to the project; it is stored
 * as its SHA-256 and its value is returned once, by the call that creates it.
 */
@ApplicationScoped
public class KeyAdmin {

    public record Issued(ApiKeyEntity row, String value) {
    }

    @Inject
    ApiKeyRepository keys;

    @Inject
    ProjectRepository projects;

    @Inject
    MemberRepository members;

    @Inject
    OrgUserRepository users;

    @Inject
    Actors actors;

    @Inject
    AdminEvents events;

    @Transactional
    public ListResponse<ProjectApiKey> list(Actor actor, String projectId, PageRequest request) {
        ProjectEntity project = actors.visible(actor, projectId);
        Long after = request.after() == null ? null
                : keys.findInProject(request.after(), project.id).map(k -> k.seq).orElseThrow(() -> ProjectAdmin.badCursor(request.after()));
        List<ApiKeyEntity> rows = keys.page(project.id, request, after);
        return Page.of(request, rows.stream().map(k -> describe(project, k, null)).toList(), ProjectApiKey::id);
    }

    @Transactional
    public ProjectApiKey get(Actor actor, String projectId, String keyId) {
        ProjectEntity project = actors.visible(actor, projectId);
        return describe(project, key(project, keyId), null);
    }

    /** Project owners delete any user key of the project; members delete their own. Service accounts' keys go with them. */
    @Transactional
    public Deleted delete(Actor actor, String projectId, String keyId) {
        ProjectEntity project = actors.visible(actor, projectId);
        ApiKeyEntity key = key(project, keyId);
        if (MemberEntity.SERVICE_ACCOUNT.equals(key.ownerType)) {
            throw ApiException.invalid(null, "The API key " + keyId + " belongs to a service account; delete the service"
                    + " account to revoke it.", null);
        }
        boolean own = !actor.isKey() && !actor.adminKey() && key.ownerId.equals(actor.subject());
        if (!own && !"owner".equals(actors.roleIn(actor, project))) {
            throw ApiException.forbidden("You have insufficient permissions for this operation: deleting another"
                    + " member's API key requires the 'owner' role in the project.");
        }
        remove(key);
        return new Deleted("organization.project.api_key.deleted", keyId, true);
    }

    /**
     * Meridian's extension: a project member (a Keycloak user) creates a personal key, as OpenAI's dashboard does.
     * An organization owner who was not yet listed in the project joins it as an owner.
     */
    @Transactional
    public ProjectApiKey createPersonal(Actor actor, String projectId, ObjectNode body) {
        if (actor.isKey() || actor.adminKey()) {
            throw ApiException.forbidden("You have insufficient permissions for this operation: personal API keys are"
                    + " created by users signed in with Keycloak, not with an API key.");
        }
        ProjectEntity project = actors.visible(actor, projectId);
        Actors.requireActive(project);
        String name = Optional.ofNullable(Bodies.text(body, "name", false, 256)).orElse("Secret key");
        if (members.findMember(project.id, MemberEntity.USER, actor.subject()).isEmpty()) {
            MemberEntity member = members.add(project.id, MemberEntity.USER, actor.subject(), null,
                    actors.roleIn(actor, project), Instant.now().getEpochSecond());
            events.member(EventTypes.PROJECT_MEMBER_ADDED, project, member);
        }
        Issued issued = issue(project, MemberEntity.USER, actor.subject(), name, ApiKeys.USER_PREFIX);
        return describe(project, issued.row(), issued.value());
    }

    Issued issue(ProjectEntity project, String ownerType, String ownerId, String name, String prefix) {
        String value = ApiKeys.generate(prefix);
        ApiKeyEntity key = new ApiKeyEntity();
        key.id = Ids.next("key");
        key.projectId = project.id;
        key.orgId = project.orgId;
        key.ownerType = ownerType;
        key.ownerId = ownerId;
        key.name = name;
        key.hash = ApiKeys.hash(value);
        key.redactedValue = ApiKeys.redact(value);
        key.createdAt = Instant.now().getEpochSecond();
        keys.persist(key);
        events.key(EventTypes.API_KEY_CREATED, key);
        return new Issued(key, value);
    }

    void remove(ApiKeyEntity key) {
        keys.delete(key);
        events.key(EventTypes.API_KEY_DELETED, key);
    }

    /**
     * What a presented key grants, from the database: the key exists, its project is active and its owner still
     * belongs to the project. Refreshes {@code last_used_at}.
     */
    @Transactional
    public Optional<KeyGrant> resolve(String key) {
        Optional<ApiKeyEntity> found = keys.findByHash(ApiKeys.hash(key));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ApiKeyEntity row = found.get();
        ProjectEntity project = projects.findById(row.projectId);
        if (project == null || project.archived()) {
            return Optional.empty();
        }
        Optional<MemberEntity> owner = owner(project, row);
        if (owner.isEmpty() || "none".equals(owner.get().role)) {
            return Optional.empty();
        }
        keys.touch(row.id, Instant.now().getEpochSecond());
        return Optional.of(new KeyGrant(row.id, row.orgId, row.projectId, row.ownerType, row.ownerId, owner.get().role, null));
    }

    private Optional<MemberEntity> owner(ProjectEntity project, ApiKeyEntity key) {
        return members.findMember(project.id, key.ownerType, key.ownerId);
    }

    private ProjectApiKey describe(ProjectEntity project, ApiKeyEntity key, String value) {
        MemberEntity owner = owner(project, key).orElse(null);
        return AdminMapper.toKey(key, owner, MemberEntity.USER.equals(key.ownerType) ? users.findById(key.ownerId) : null, value);
    }

    private ApiKeyEntity key(ProjectEntity project, String keyId) {
        return keys.findInProject(keyId, project.id).orElseThrow(() -> ApiException.notFound(null,
                "No API key with id '" + keyId + "' in the project " + project.id + ".", null));
    }
}
