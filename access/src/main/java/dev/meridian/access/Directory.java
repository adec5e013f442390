package dev.meridian.access;

import java.util.Optional;

/**
 * Where grants come from on a cache miss: admin-service over HTTP ({@link RemoteDirectory}) in every service, its own
 * database in admin-service. Both calls present the caller's own credential (the key to check; for a membership, the
 * current request's, by token propagation), so they reveal nothing the caller does not already hold.
 */
public interface Directory {

    /** The grant of an active key in an active project, or empty when the key is unknown, deleted or archived. */
    Optional<KeyGrant> key(String key);

    /**
     * The current request's caller's membership of {@code projectId}, or empty when the project is not an active
     * project of the caller's organization or the caller is not a member.
     */
    Optional<ProjectGrant> project(String projectId);
}
