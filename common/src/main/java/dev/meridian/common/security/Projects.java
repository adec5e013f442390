package dev.meridian.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Every organization has a default project, which every member of the organization may use and which a request
 * without an {@code OpenAI-Project} header acts in. Its id is derived from the organization's, so every service knows
 * it without asking admin-service; the Flyway migrations that moved existing rows into it compute the same value:
 * {@code 'proj_' || substr(encode(sha256(convert_to('meridian-default-project:' || org_id, 'UTF8')), 'hex'), 1, 24)}.
 */
public final class Projects {

    private Projects() {
    }

    public static String defaultFor(String org) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("meridian-default-project:" + org).getBytes(StandardCharsets.UTF_8));
            return "proj_" + HexFormat.of().formatHex(digest).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
