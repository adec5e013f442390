package dev.meridian.testsupport;

import java.io.IOException;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Signed access tokens shaped like the ones Keycloak issues for the Meridian realm: audience
 * {@code meridian-api}, the tenant in {@code org_id}, realm roles in {@code realm_access.roles}.
 * Services under test trust them through {@link OidcTestResource}.
 */
public final class Tokens {

    public static final String ISSUER = "https://meridian.test/realms/meridian";
    public static final String AUDIENCE = "meridian-api";
    public static final String OWNER_ROLE = "owner";

    private static final String PRIVATE_KEY = "meridian-test-jwt/private.pem";
    private static PrivateKey signingKey;

    private Tokens() {
    }

    /** A caller with the {@code owner} role in {@code org}. */
    public static String owner(String org) {
        return token("owner@" + org, org, List.of(OWNER_ROLE));
    }

    /** A caller in {@code org} without the owner role. */
    public static String member(String org) {
        return token("member@" + org, org, List.of());
    }

    public static String token(String subject, String org, List<String> roles) {
        return claims(subject, org, roles).sign(key());
    }

    /** Authorization header value. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Correctly signed, but expired an hour ago. */
    public static String expired(String org) {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        return claims("member@" + org, org, List.of()).issuedAt(past).expiresAt(past.plus(Duration.ofHours(1))).sign(key());
    }

    /** A member of {@code org} whose token expires after {@code lifetime} (whole seconds, as {@code exp} counts). */
    public static String expiringIn(String org, Duration lifetime) {
        return claims("member@" + org, org, List.of()).expiresAt(Instant.now().plus(lifetime)).sign(key());
    }

    /** Correctly shaped, signed by a key the services do not trust. */
    public static String signedByStranger(String org) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return claims("owner@" + org, org, List.of(OWNER_ROLE)).sign(generator.generateKeyPair().getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Correctly signed, but issued for another API. */
    public static String otherAudience(String org) {
        return claims("owner@" + org, org, List.of(OWNER_ROLE)).audience("another-api").sign(key());
    }

    /** Correctly signed, but without an {@code org_id} claim. */
    public static String withoutOrg() {
        return Jwt.issuer(ISSUER).subject("orphan").audience(AUDIENCE)
                .claim("realm_access", Map.of("roles", List.of(OWNER_ROLE)))
                .expiresIn(Duration.ofHours(1)).sign(key());
    }

    /** The {@code sub} of a token this class signed (read without verifying), or "" for anything else. */
    public static String subjectOf(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return "";
        }
        try {
            return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1])).path("sub").asText("");
        } catch (IOException | IllegalArgumentException e) {
            return "";
        }
    }

    private static JwtClaimsBuilder claims(String subject, String org, List<String> roles) {
        return Jwt.issuer(ISSUER)
                .subject(subject)
                .upn(subject)
                .audience(AUDIENCE)
                .claim("org_id", org)
                .claim("realm_access", Map.of("roles", roles))
                .issuedAt(Instant.now())
                .expiresIn(Duration.ofHours(1));
    }

    private static synchronized PrivateKey key() {
        if (signingKey == null) {
            signingKey = Pem.privateKey(PRIVATE_KEY);
        }
        return signingKey;
    }
}
