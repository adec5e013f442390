package dev.meridian.common.security;

/**
 * Decides whether a Keycloak user may act in a project other than the organization's default one (the access module
 * implements it with admin-service's answers, cached).
 */
public interface ProjectMembership {

    /**
     * @return {@code projectId} when the caller is a member of that active project of its organization
     * @throws dev.meridian.common.error.ApiException 403 otherwise
     */
    String require(Caller caller, String projectId);
}
