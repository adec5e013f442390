package dev.meridian.admin.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.access.ApiKeys;
import dev.meridian.admin.api.Deleted;
import dev.meridian.admin.api.ProjectServiceAccount;
import dev.meridian.admin.api.ProjectUser;
import dev.meridian.admin.entity.MemberEntity;
import dev.meridian.admin.entity.OrgUserEntity;
import dev.meridian.admin.entity.ProjectEntity;
import dev.meridian.admin.mapping.AdminMapper;
import dev.meridian.admin.repository.ApiKeyRepository;
import dev.meridian.admin.repository.MemberRepository;
import dev.meridian.admin.repository.OrgUserRepository;
import dev.meridian.common.api.ListResponse;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.id.Ids;
import dev.meridian.common.page.Page;
import dev.meridian.common.page.PageRequest;

/** A project's users and service accounts: its owners manage them, its members read them. */
@ApplicationScoped
public class MemberAdmin {

    @Inject
    MemberRepository members;

    @Inject
    OrgUserRepository users;

    @Inject
    ApiKeyRepository keys;

    @Inject
    Actors actors;

    @Inject
    AdminEvents events;

    @Inject
    KeyAdmin keyAdmin;

    // users

    @Transactional
    public ListResponse<ProjectUser> listUsers(Actor actor, String projectId, PageRequest request) {
        ProjectEntity project = actors.visible(actor, projectId);
        List<MemberEntity> rows = members.page(project.id, MemberEntity.USER, request, cursor(project, MemberEntity.USER, request));
        return Page.of(request, rows.stream().map(m -> AdminMapper.toUser(m, users.findById(m.memberId))).toList(), ProjectUser::id);
    }

    @Transactional
    public ProjectUser addUser(Actor actor, String projectId, ObjectNode body) {
        ProjectEntity project = actors.managed(actor, projectId, "adding a user to a project");
        Actors.requireActive(project);
        String role = Bodies.role(body, true, Bodies.ROLES);
        String userId = Bodies.text(body, "user_id", false, 256);
        String email = Bodies.text(body, "email", false, 320);
        OrgUserEntity user;
        if (userId != null) {
            user = users.findInOrg(userId, actor.org()).orElseThrow(() -> ApiException.invalid("user_id",
                    "No user with id '" + userId + "' in your organization. Users must be members of the organization"
                            + " (have called Meridian at least once) before they can be added to a project.", null));
        } else if (email != null) {
            user = users.findByEmail(email, actor.org()).orElseThrow(() -> ApiException.invalid("email",
                    "No user with email '" + email + "' in your organization.", null));
        } else {
            throw ApiException.invalid("user_id", "Missing required parameter: 'user_id' (or 'email').", "missing_required_parameter");
        }
        if (members.findMember(project.id, MemberEntity.USER, user.id).isPresent()) {
            throw ApiException.invalid("user_id", "The user '" + user.id + "' is already a member of the project.", null);
        }
        MemberEntity member = member(project, MemberEntity.USER, user.id, null, role);
        events.member(EventTypes.PROJECT_MEMBER_ADDED, project, member);
        return AdminMapper.toUser(member, user);
    }

    @Transactional
    public ProjectUser getUser(Actor actor, String projectId, String userId) {
        ProjectEntity project = actors.visible(actor, projectId);
        MemberEntity member = user(project, userId);
        return AdminMapper.toUser(member, users.findById(member.memberId));
    }

    @Transactional
    public ProjectUser modifyUser(Actor actor, String projectId, String userId, ObjectNode body) {
        ProjectEntity project = actors.managed(actor, projectId, "changing a project user's role");
        Actors.requireActive(project);
        MemberEntity member = user(project, userId);
        String role = Bodies.role(body, false, Bodies.ROLES);
        if (role != null && !role.equals(member.role)) {
            member.role = role;
            events.member(EventTypes.PROJECT_MEMBER_UPDATED, project, member);
        }
        return AdminMapper.toUser(member, users.findById(member.memberId));
    }

    /** The user leaves the project; their keys in it stop working. */
    @Transactional
    public Deleted removeUser(Actor actor, String projectId, String userId) {
        ProjectEntity project = actors.managed(actor, projectId, "removing a user from a project");
        Actors.requireActive(project);
        MemberEntity member = user(project, userId);
        members.delete(member);
        events.member(EventTypes.PROJECT_MEMBER_REMOVED, project, member);
        return new Deleted("organization.project.user.deleted", userId, true);
    }

    // service accounts

    @Transactional
    public ListResponse<ProjectServiceAccount> listServiceAccounts(Actor actor, String projectId, PageRequest request) {
        ProjectEntity project = actors.visible(actor, projectId);
        Actors.requireActive(project);
        List<MemberEntity> rows = members.page(project.id, MemberEntity.SERVICE_ACCOUNT, request,
                cursor(project, MemberEntity.SERVICE_ACCOUNT, request));
        return Page.of(request, rows.stream().map(AdminMapper::toServiceAccount).toList(), ProjectServiceAccount::id);
    }

    /** Creates the account and, unless {@code create_service_account_only}, its key, whose value is shown only here. */
    @Transactional
    public ProjectServiceAccount createServiceAccount(Actor actor, String projectId, ObjectNode body) {
        ProjectEntity project = actors.managed(actor, projectId, "creating a service account");
        Actors.requireActive(project);
        String name = Bodies.text(body, "name", true, 256);
        boolean accountOnly = Boolean.TRUE.equals(Bodies.bool(body, "create_service_account_only"));
        MemberEntity account = member(project, MemberEntity.SERVICE_ACCOUNT, Ids.next("svc_acct"), name,
                accountOnly ? "none" : "member");
        events.member(EventTypes.PROJECT_MEMBER_ADDED, project, account);
        if (accountOnly) {
            return AdminMapper.toServiceAccount(account, Optional.empty());
        }
        KeyAdmin.Issued issued = keyAdmin.issue(project, MemberEntity.SERVICE_ACCOUNT, account.memberId, "Secret Key",
                ApiKeys.SERVICE_ACCOUNT_PREFIX);
        return AdminMapper.toServiceAccount(account, Optional.of(new ProjectServiceAccount.NewKey(
                ProjectServiceAccount.NewKey.OBJECT, issued.value(), issued.row().name, issued.row().createdAt, issued.row().id)));
    }

    @Transactional
    public ProjectServiceAccount getServiceAccount(Actor actor, String projectId, String id) {
        return AdminMapper.toServiceAccount(serviceAccount(actors.visible(actor, projectId), id));
    }

    @Transactional
    public ProjectServiceAccount modifyServiceAccount(Actor actor, String projectId, String id, ObjectNode body) {
        ProjectEntity project = actors.managed(actor, projectId, "modifying a service account");
        Actors.requireActive(project);
        MemberEntity account = serviceAccount(project, id);
        String name = Bodies.text(body, "name", false, 256);
        String role = Bodies.role(body, false, Bodies.ROLES);
        if (name != null) {
            account.name = name;
        }
        if (role != null && !role.equals(account.role)) {
            account.role = role;
        }
        events.member(EventTypes.PROJECT_MEMBER_UPDATED, project, account);
        return AdminMapper.toServiceAccount(account);
    }

    /** The account and its keys go; the keys stop working on every replica as soon as the events arrive. */
    @Transactional
    public Deleted deleteServiceAccount(Actor actor, String projectId, String id) {
        ProjectEntity project = actors.managed(actor, projectId, "deleting a service account");
        Actors.requireActive(project);
        MemberEntity account = serviceAccount(project, id);
        keys.ofOwner(account.memberId, project.id).forEach(keyAdmin::remove);
        members.delete(account);
        events.member(EventTypes.PROJECT_MEMBER_REMOVED, project, account);
        return new Deleted("organization.project.service_account.deleted", id, true);
    }

    private MemberEntity member(ProjectEntity project, String type, String id, String name, String role) {
        return members.add(project.id, type, id, name, role, Instant.now().getEpochSecond());
    }

    private MemberEntity user(ProjectEntity project, String userId) {
        return members.findMember(project.id, MemberEntity.USER, userId).orElseThrow(() -> ApiException.notFound(null,
                "No user with id '" + userId + "' in the project " + project.id + ".", null));
    }

    private MemberEntity serviceAccount(ProjectEntity project, String id) {
        return members.findMember(project.id, MemberEntity.SERVICE_ACCOUNT, id).orElseThrow(() -> ApiException.notFound(null,
                "No service account with id '" + id + "' in the project " + project.id + ".", null));
    }

    private Long cursor(ProjectEntity project, String type, PageRequest request) {
        if (request.after() == null) {
            return null;
        }
        return members.findMember(project.id, type, request.after()).map(m -> m.seq)
                .orElseThrow(() -> ProjectAdmin.badCursor(request.after()));
    }
}
