package dev.meridian.admin.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.admin.api.Project;
import dev.meridian.admin.entity.ProjectEntity;
import dev.meridian.admin.mapping.AdminMapper;
import dev.meridian.admin.repository.MemberRepository;
import dev.meridian.admin.repository.ProjectRepository;
import dev.meridian.common.api.ListResponse;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.id.Ids;
import dev.meridian.common.page.Page;
import dev.meridian.common.page.PageRequest;

/** Projects: organization owners create and archive them; project owners rename theirs; members read. */
@ApplicationScoped
public class ProjectAdmin {

    static final int MAX_NAME = 256;

    @Inject
    ProjectRepository projects;

    @Inject
    MemberRepository members;

    @Inject
    Actors actors;

    @Inject
    AdminEvents events;

    @Transactional
    public ListResponse<Project> list(Actor actor, PageRequest request, boolean includeArchived) {
        List<String> memberOf = actor.orgOwner() ? null
                : actor.isKey() ? List.of(actor.keyProject()) : members.projectsOfUser(actor.subject());
        Long after = null;
        if (request.after() != null) {
            ProjectEntity cursor = projects.findInOrg(request.after(), actor.org()).orElseThrow(() -> badCursor(request.after()));
            after = cursor.seq;
        }
        List<ProjectEntity> rows = projects.page(actor.org(), includeArchived, memberOf, request, after);
        if (actor.isKey()) {
            rows = rows.stream().filter(p -> p.id.equals(actor.keyProject())).toList();
        }
        return Page.of(request, rows.stream().map(AdminMapper::toProject).toList(), Project::id);
    }

    @Transactional
    public Project create(Actor actor, ObjectNode body) {
        actors.requireOrgOwner(actor, "creating a project");
        ProjectEntity project = new ProjectEntity();
        project.id = Ids.next("proj");
        project.orgId = actor.org();
        project.name = Bodies.text(body, "name", true, MAX_NAME);
        project.externalKeyId = Bodies.text(body, "external_key_id", false, MAX_NAME);
        project.createdAt = Instant.now().getEpochSecond();
        projects.persist(project);
        projects.flush();
        events.project(EventTypes.PROJECT_CREATED, project);
        return AdminMapper.toProject(project);
    }

    @Transactional
    public Project get(Actor actor, String id) {
        return AdminMapper.toProject(actors.visible(actor, id));
    }

    @Transactional
    public Project modify(Actor actor, String id, ObjectNode body) {
        ProjectEntity project = actors.managed(actor, id, "modifying a project");
        if (project.isDefault) {
            throw ApiException.invalid(null, "The default project cannot be modified.", null);
        }
        Actors.requireActive(project);
        String name = Bodies.text(body, "name", false, MAX_NAME);
        if (name != null) {
            project.name = name;
        }
        if (body.has("external_key_id")) {
            project.externalKeyId = Bodies.text(body, "external_key_id", false, MAX_NAME);
        }
        events.project(EventTypes.PROJECT_UPDATED, project);
        return AdminMapper.toProject(project);
    }

    /** Archiving is final: the project's keys stop working on every replica as soon as the event arrives. */
    @Transactional
    public Project archive(Actor actor, String id) {
        ProjectEntity project = actors.visible(actor, id);
        actors.requireOrgOwner(actor, "archiving a project");
        project = projects.lockInOrg(id, actor.org()).orElseThrow(() -> Actors.notFound(id));
        if (project.isDefault) {
            throw ApiException.invalid(null, "The default project cannot be archived.", null);
        }
        if (!project.archived()) {
            project.archivedAt = Instant.now().getEpochSecond();
            events.project(EventTypes.PROJECT_ARCHIVED, project);
        }
        return AdminMapper.toProject(project);
    }

    static ApiException badCursor(String after) {
        return ApiException.invalid("after", "Invalid 'after': no object with id '" + after + "' in this list.", null);
    }
}
