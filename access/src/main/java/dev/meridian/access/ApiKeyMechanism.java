package dev.meridian.access;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import dev.meridian.common.error.CredentialRejected;

/**
 * Takes {@code Authorization: Bearer sk-…} before the OIDC mechanism sees it (it runs first, by priority); any other
 * bearer credential is left to OIDC, so Keycloak tokens work exactly as before.
 */
@ApplicationScoped
public class ApiKeyMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        String key = key(authorization);
        if (key == null) {
            if (malformedJwt(authorization)) {
                // OIDC's own parser fails on these with an exception that would surface as a 500
                return Uni.createFrom().failure(CredentialRejected.failure("Incorrect API key provided: the bearer"
                        + " token is neither an API key nor a well-formed token."));
            }
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyRequest(key), context));
    }

    static String key(String authorization) {
        String credential = bearer(authorization);
        return credential != null && ApiKeys.looksLikeKey(credential) ? credential : null;
    }

    /** The credential of an {@code Authorization: Bearer …} header, or {@code null} for any other header or none. */
    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String credential = authorization.substring(BEARER.length()).trim();
        return credential.isEmpty() ? null : credential;
    }

    /**
     * A bearer credential with a dot in it that is neither a compact JWS (three dot-separated base64url parts, the
     * first two non-empty) nor a compact JWE (five), such as {@code ....}: OIDC would take it for a JWT and fail to
     * split it.
     */
    static boolean malformedJwt(String authorization) {
        String credential = bearer(authorization);
        return credential != null && credential.indexOf('.') >= 0 && !credential.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*")
                && !credential.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+){3}"); // or a JWE
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}
