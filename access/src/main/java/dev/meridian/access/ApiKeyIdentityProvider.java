package dev.meridian.access;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meridian.common.error.CredentialRejected;
import dev.meridian.common.security.Caller;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns a key into an identity: from memory when the key is known (no thread hop, no I/O), else from the directory on
 * a worker thread. The identity names the key's owner and carries org, project and project role as attributes, which
 * {@link Caller} reads; it never carries the realm's {@code owner} role.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    /** The identity attribute holding the {@link KeyGrant}. */
    public static final String KEY_GRANT_ATTRIBUTE = "meridian.key-grant";

    @Inject
    AccessCache cache;

    @Inject
    AccessConfig config;

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        String key = request.key();
        String hash = ApiKeys.hash(key);
        Optional<KeyGrant> cached = cache.cachedKey(hash);
        if (cached != null) {
            return Uni.createFrom().item(() -> identity(cached, key));
        }
        return context.runBlocking(() -> identity(cache.key(hash, key), key));
    }

    private SecurityIdentity identity(Optional<KeyGrant> found, String key) {
        KeyGrant grant = found.orElseThrow(() -> CredentialRejected.failure("Incorrect API key provided: "
                + ApiKeys.redact(key) + ". You can find your API key at " + config.keyHelpUrl() + "."));
        if (grant.isAdmin() && !config.adminKeys()) {
            throw CredentialRejected.failure("Admin API keys (" + ApiKeys.redact(key) + ") can only be used with the"
                    + " administration API (/v1/organization/...). Use a project API key here.");
        }
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(grant.ownerId()))
                .addAttribute(Caller.ORG_ATTRIBUTE, grant.orgId())
                .addAttribute(Caller.PROJECT_ROLE_ATTRIBUTE, grant.role())
                .addAttribute(Caller.KEY_ATTRIBUTE, key)
                // the key is the request's bearer credential: token propagation passes it on as it does a token
                .addCredential(new AccessTokenCredential(key))
                .addAttribute(KEY_GRANT_ATTRIBUTE, grant);
        if (grant.projectId() != null) {
            identity.addAttribute(Caller.PROJECT_ATTRIBUTE, grant.projectId());
        }
        return identity.build();
    }
}
