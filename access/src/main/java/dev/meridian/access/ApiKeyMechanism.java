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
     * first two non-empty) nor a compact JWE (five: the first, third, fourth and fifth non-empty), such as
     * {@code ....}: OIDC would take it for a JWT and fail to split it. One pass over the credential, since every
     * request with a token comes here (a regular expression per request was a fifth of models-service's CPU).
     */
    static boolean malformedJwt(String authorization) {
        String credential = bearer(authorization);
        if (credential == null || credential.indexOf('.') < 0) {
            return false;
        }
        int parts = 0;
        int emptyParts = 0; // bit i set: part i is empty (only the first five matter)
        int length = 0;
        for (int i = 0; i <= credential.length(); i++) {
            char c = i < credential.length() ? credential.charAt(i) : '.';
            if (c == '.') {
                if (length == 0 && parts < 5) {
                    emptyParts |= 1 << parts;
                }
                parts++;
                length = 0;
            } else if (base64Url(c)) {
                length++;
            } else {
                return true;
            }
        }
        boolean jws = parts == 3 && (emptyParts & 0b011) == 0;
        boolean jwe = parts == 5 && (emptyParts & 0b11101) == 0;
        return !jws && !jwe;
    }

    private static boolean base64Url(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
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
