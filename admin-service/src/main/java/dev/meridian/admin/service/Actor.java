package dev.meridian.admin.service;

/**
 * Who is administering: a Keycloak user (an organization owner when the token has the realm's {@code owner} role) or
 * an API key, which acts only in its own project with its owner's role there.
 *
 * @param keyProject the key's project, null for a Keycloak user
 * @param keyRole    the key owner's role in {@code keyProject}
 * @param adminKey   an organization admin key ({@code sk-admin-}): an organization owner's rights, no project
 */
public record Actor(String org, String subject, boolean orgOwner, String keyProject, String keyRole, boolean adminKey) {

    public boolean isKey() {
        return keyProject != null;
    }
}
