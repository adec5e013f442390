package dev.meridian.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The {@code sk-} API keys: 256 random bits, URL-safe base64 after a prefix that says whose key it is
 * ({@code sk-proj-} a user's project key, {@code sk-svcacct-} a service account's, {@code sk-admin-} an organization
 * admin key). Only the SHA-256 of a key is
 * stored and used as its lookup key: with 256 bits of entropy no slow password hash is needed to resist guessing.
 */
public final class ApiKeys {

    public static final String PREFIX = "sk-";
    public static final String USER_PREFIX = "sk-proj-";
    public static final String SERVICE_ACCOUNT_PREFIX = "sk-svcacct-";
    public static final String ADMIN_PREFIX = "sk-admin-";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String generate(String prefix) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    public static boolean looksLikeKey(String credential) {
        return credential != null && credential.startsWith(PREFIX);
    }

    /** The hex SHA-256 of a key: what is stored, cached and compared. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sk-proj-…abcd}: the prefix and the last four characters, safe to show and to log. */
    public static String redact(String key) {
        String prefix = key.startsWith(USER_PREFIX) ? USER_PREFIX
                : key.startsWith(SERVICE_ACCOUNT_PREFIX) ? SERVICE_ACCOUNT_PREFIX
                : key.startsWith(ADMIN_PREFIX) ? ADMIN_PREFIX : PREFIX;
        String tail = key.length() - prefix.length() >= 8 ? key.substring(key.length() - 4) : "";
        return prefix + "…" + tail;
    }
}
