package dev.meridian.common.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.meridian.common.error.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * Who is calling: the tenant (organization), the project the request acts in, and the roles of the verified
 * credential, which is either a Keycloak access token ({@code org_id} claim, realm roles) or an {@code sk-} API key
 * (whose authenticator puts org, project and role into the identity's attributes). Every stored resource is owned by
 * {@link #org()} and {@link #project()}.
 */
@RequestScoped
public class Caller {

    public static final String ORG_CLAIM = "org_id";
    /** The headers the OpenAI SDKs send when configured with an organization or a project. */
    public static final String ORGANIZATION_HEADER = "OpenAI-Organization";
    public static final String PROJECT_HEADER = "OpenAI-Project";

    /** Identity attributes of an API key's identity. */
    public static final String ORG_ATTRIBUTE = "meridian.org";
    public static final String PROJECT_ATTRIBUTE = "meridian.project";
    public static final String PROJECT_ROLE_ATTRIBUTE = "meridian.project-role";
    public static final String KEY_ATTRIBUTE = "meridian.api-key";

    @Inject
    SecurityIdentity identity;

    @Inject
    CurrentVertxRequest request;

    @Inject
    Instance<ProjectMembership> membership;

    private String org;
    private String project;

    public String org() {
        if (org == null) {
            String own = ownOrg();
            String named = header(ORGANIZATION_HEADER);
            if (named != null && !named.equals(own)) {
                throw new ApiException(401, "invalid_request_error", "The OpenAI-Organization header names '" + named
                        + "', which is not the organization of your credentials.", null, "mismatched_organization");
            }
            org = own;
        }
        return org;
    }

    /**
     * The project this request acts in: an API key's own project; for a Keycloak user, the project named by the
     * {@code OpenAI-Project} header (of which the user must be a member) or else the organization's default project.
     */
    public String project() {
        if (project == null) {
            String named = header(PROJECT_HEADER);
            String keyProject = identity.getAttribute(PROJECT_ATTRIBUTE);
            if (keyProject != null) {
                if (named != null && !named.equals(keyProject)) {
                    throw new ApiException(401, "invalid_request_error", "The OpenAI-Project header names '" + named
                            + "', which is not the project of your API key.", null, "mismatched_project");
                }
                project = keyProject;
            } else {
                String defaultProject = Projects.defaultFor(org());
                if (named == null || named.equals(defaultProject)) {
                    project = defaultProject;
                } else if (membership.isResolvable()) {
                    project = membership.get().require(this, named);
                } else {
                    throw ApiException.forbidden("Projects other than the default project cannot be chosen here.");
                }
            }
        }
        return project;
    }

    /**
     * Whether {@link #project()} has to ask whether the caller is a member (a Keycloak user naming a project other than
     * the default one): the one answer here that may wait on another service.
     */
    public boolean projectNeedsLookup() {
        if (project != null || identity.getAttribute(PROJECT_ATTRIBUTE) != null) {
            return false;
        }
        String named = header(PROJECT_HEADER);
        return named != null && !named.equals(Projects.defaultFor(org()));
    }

    /** Whether the credential is an {@code sk-} API key rather than a Keycloak token. */
    public boolean isApiKey() {
        return identity.getAttribute(KEY_ATTRIBUTE) != null;
    }

    public String subject() {
        return identity.getPrincipal().getName();
    }

    public SecurityIdentity identity() {
        return identity;
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    /** Throws the 403 envelope unless the caller holds {@code role}. */
    public void requireRole(String role, String action) {
        if (!hasRole(role)) {
            throw ApiException.forbidden("You have insufficient permissions for this operation: " + action
                    + " requires the '" + role + "' role in your organization.");
        }
    }

    private String ownOrg() {
        String attribute = identity.getAttribute(ORG_ATTRIBUTE);
        if (attribute != null) {
            return attribute;
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object claim = jwt.getClaim(ORG_CLAIM);
            if (claim != null && !claim.toString().isBlank()) {
                return claim.toString();
            }
        }
        throw ApiException.forbidden("The access token carries no '" + ORG_CLAIM + "' claim, so it cannot be mapped to an organization.");
    }

    private String header(String name) {
        if (request == null || request.getCurrent() == null) {
            return null;
        }
        String value = request.getCurrent().request().getHeader(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
