package dev.meridian.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meridian.common.error.ApiException;
import dev.meridian.common.security.Caller;
import dev.meridian.common.security.ProjectMembership;

/** A Keycloak user's choice of project, checked against admin-service's memberships (cached, evicted by events). */
@ApplicationScoped
public class AdminMembership implements ProjectMembership {

    @Inject
    AccessCache cache;

    @Override
    public String require(Caller caller, String projectId) {
        return cache.membership(caller.subject(), projectId)
                .filter(grant -> grant.orgId().equals(caller.org()))
                .map(ProjectGrant::projectId)
                .orElseThrow(() -> ApiException.forbidden("You are not a member of the project '" + projectId
                        + "' named by the OpenAI-Project header, or it is not an active project of your organization."));
    }
}
