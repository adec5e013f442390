package dev.meridian.common.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.meridian.common.error.ApiException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling: the tenant ({@code org_id} claim) and realm roles of the verified bearer token.
 * Every stored resource is owned by {@link #org()}.
 */
@RequestScoped
public class Caller {

    public static final String ORG_CLAIM = "org_id";

    @Inject
    SecurityIdentity identity;

    public String org() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object org = jwt.getClaim(ORG_CLAIM);
            if (org != null && !org.toString().isBlank()) {
                return org.toString();
            }
        }
        throw ApiException.forbidden("The access token carries no '" + ORG_CLAIM + "' claim, so it cannot be mapped to an organization.");
    }

    /**
     * The caller's own {@code Authorization} header value, to pass on when this service asks another
     * on the caller's behalf (so the other service applies the same visibility rules).
     */
    public String authorization() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getRawToken() != null) {
            return "Bearer " + jwt.getRawToken();
        }
        throw new IllegalStateException("No bearer token for this request");
    }

    public String subject() {
        return identity.getPrincipal().getName();
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
}
