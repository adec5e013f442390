package dev.meridian.admin.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meridian.access.AccessCache;
import dev.meridian.access.KeyGrant;
import dev.meridian.admin.entity.AdminKeyEntity;
import dev.meridian.admin.entity.ApiKeyEntity;
import dev.meridian.admin.entity.MemberEntity;
import dev.meridian.admin.entity.ProjectEntity;
import dev.meridian.common.events.ApiKeyEventData;
import dev.meridian.common.events.CloudEvent;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.events.ProjectEventData;
import dev.meridian.common.events.ProjectMemberEventData;
import dev.meridian.common.events.RateLimitData;
import dev.meridian.common.events.Topics;
import dev.meridian.outbox.EventOutbox;

/**
 * admin-service's events on {@code meridian.projects}, written in the caller's transaction. Revocations also evict this
 * replica's own cache as soon as the transaction commits; other replicas (and the other services) learn them from Kafka.
 */
@ApplicationScoped
public class AdminEvents {

    public static final String SOURCE = "/meridian/admin-service";

    @Inject
    EventOutbox outbox;

    @Inject
    AccessCache cache;

    void project(String type, ProjectEntity project) {
        outbox.publish(Topics.PROJECTS, CloudEvent.of(SOURCE, type, project.id, new ProjectEventData(project.id,
                project.orgId, project.name, project.archived() ? "archived" : "active")));
        if (EventTypes.PROJECT_ARCHIVED.equals(type)) {
            afterCommit(() -> cache.projectArchived(project.id));
        }
    }

    void member(String type, ProjectEntity project, MemberEntity member) {
        outbox.publish(Topics.PROJECTS, CloudEvent.of(SOURCE, type, project.id, new ProjectMemberEventData(project.id,
                project.orgId, member.memberType, member.memberId, member.role)));
        String projectId = project.id;
        String memberId = member.memberId;
        switch (type) {
            case EventTypes.PROJECT_MEMBER_REMOVED -> afterCommit(() -> cache.memberRemoved(projectId, memberId));
            case EventTypes.PROJECT_MEMBER_UPDATED -> afterCommit(() -> cache.memberChanged(projectId, memberId));
            case EventTypes.PROJECT_MEMBER_ADDED -> afterCommit(() -> cache.memberAdded(projectId, memberId));
            default -> {
            }
        }
    }

    void key(String type, ApiKeyEntity key) {
        outbox.publish(Topics.PROJECTS, CloudEvent.of(SOURCE, type, key.projectId, new ApiKeyEventData(key.id,
                key.projectId, key.orgId, key.ownerType, key.ownerId, key.redactedValue)));
        if (EventTypes.API_KEY_DELETED.equals(type)) {
            String keyId = key.id;
            afterCommit(() -> cache.keyDeleted(keyId));
        }
    }

    void rateLimit(ProjectEntity project, RateLimitData limits) {
        outbox.publish(Topics.PROJECTS, CloudEvent.of(SOURCE, EventTypes.RATE_LIMIT_UPDATED, project.id, limits));
    }

    void adminKey(String type, AdminKeyEntity key) {
        outbox.publish(Topics.PROJECTS, CloudEvent.of(SOURCE, type, key.id, new ApiKeyEventData(key.id, null, key.orgId,
                KeyGrant.ADMIN, key.ownerId, key.redactedValue)));
        if (EventTypes.API_KEY_DELETED.equals(type)) {
            String keyId = key.id;
            afterCommit(() -> cache.keyDeleted(keyId));
        }
    }

    private void afterCommit(Runnable eviction) {
        outbox.afterCommit(eviction);
    }
}
