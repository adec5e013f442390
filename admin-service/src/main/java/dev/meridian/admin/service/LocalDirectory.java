package dev.meridian.admin.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meridian.access.ApiKeys;
import dev.meridian.access.Directory;
import dev.meridian.access.KeyGrant;
import dev.meridian.access.ProjectGrant;
import dev.meridian.admin.entity.ProjectEntity;
import dev.meridian.admin.repository.ProjectRepository;
import dev.meridian.common.security.Caller;

/** In admin-service, grants come straight from its own database (the other services ask it over HTTP). */
@ApplicationScoped
public class LocalDirectory implements Directory {

    @Inject
    KeyAdmin keys;

    @Inject
    Actors actors;

    @Inject
    ProjectRepository projects;

    @Inject
    Caller caller;

    @Inject
    AdminKeys adminKeys;

    @Override
    public Optional<KeyGrant> key(String key) {
        return key.startsWith(ApiKeys.ADMIN_PREFIX) ? adminKeys.resolve(key) : keys.resolve(key);
    }

    /** The current request's user in {@code projectId}. */
    @Override
    public Optional<ProjectGrant> project(String projectId) {
        return grant(actors.of(caller), projectId);
    }

    public Optional<ProjectGrant> grant(Actor actor, String projectId) {
        ProjectEntity project = projects.findInOrg(projectId, actor.org()).orElse(null);
        if (project == null || project.archived()) {
            return Optional.empty();
        }
        return Optional.ofNullable(actors.roleIn(actor, project))
                .map(role -> new ProjectGrant(project.orgId, project.id, actor.subject(), role));
    }
}
