package dev.meridian.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Makes the service under test verify bearer tokens locally against the test public key, exactly
 * as it verifies Keycloak's against the realm's JWKS: signature, expiry, issuer and audience.
 */
public class OidcTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.oidc.public-key", Pem.body("meridian-test-jwt/public.pem"),
                "quarkus.oidc.token.issuer", Tokens.ISSUER,
                "quarkus.oidc.token.audience", Tokens.AUDIENCE);
    }

    @Override
    public void stop() {
    }
}
