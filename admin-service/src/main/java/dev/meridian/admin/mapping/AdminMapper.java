package dev.meridian.admin.mapping;

import java.util.Optional;

import dev.meridian.admin.api.Project;
import dev.meridian.admin.api.ProjectApiKey;
import dev.meridian.admin.api.ProjectServiceAccount;
import dev.meridian.admin.api.ProjectUser;
import dev.meridian.admin.entity.ApiKeyEntity;
import dev.meridian.admin.entity.MemberEntity;
import dev.meridian.admin.entity.OrgUserEntity;
import dev.meridian.admin.entity.ProjectEntity;

public final class AdminMapper {

    private AdminMapper() {
    }

    public static Project toProject(ProjectEntity project) {
        return new Project(project.id, Project.OBJECT, project.name, project.createdAt, project.archivedAt,
                project.archived() ? "archived" : "active", project.externalKeyId);
    }

    public static ProjectUser toUser(MemberEntity member, OrgUserEntity user) {
        return new ProjectUser(ProjectUser.OBJECT, member.memberId, user == null ? null : user.name,
                user == null ? null : user.email, member.role, member.addedAt);
    }

    public static ProjectServiceAccount toServiceAccount(MemberEntity member) {
        return new ProjectServiceAccount(ProjectServiceAccount.OBJECT, member.memberId, member.name, member.role, member.addedAt, null);
    }

    public static ProjectServiceAccount toServiceAccount(MemberEntity member, Optional<ProjectServiceAccount.NewKey> key) {
        return new ProjectServiceAccount(ProjectServiceAccount.OBJECT, member.memberId, member.name, member.role, member.addedAt, key);
    }

    /**
     * @param owner the key's owner in the project, null when the owner no longer has access to it
     * @param user  the owning user's directory entry (user keys)
     */
    public static ProjectApiKey toKey(ApiKeyEntity key, MemberEntity owner, OrgUserEntity user, String value) {
        String role = owner == null ? "member" : owner.role;
        ProjectApiKey.Owner describedOwner = MemberEntity.SERVICE_ACCOUNT.equals(key.ownerType)
                ? new ProjectApiKey.Owner(key.ownerType, null, new ProjectApiKey.OwnerServiceAccount(key.ownerId,
                        owner == null ? null : owner.name, owner == null ? key.createdAt : owner.addedAt, role))
                : new ProjectApiKey.Owner(key.ownerType, new ProjectApiKey.OwnerUser(key.ownerId,
                        user == null ? null : user.email, user == null ? null : user.name,
                        user == null ? key.createdAt : user.createdAt, role), null);
        return new ProjectApiKey(ProjectApiKey.OBJECT, key.redactedValue, key.name, key.createdAt, key.lastUsedAt, key.id,
                owner == null ? "inactive" : "active", describedOwner, value);
    }
}
