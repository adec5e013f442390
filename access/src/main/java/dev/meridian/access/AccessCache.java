package dev.meridian.access;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Grants in memory, so a request with a known key or membership costs a hash and a map lookup, not a network call.
 * admin-service's events evict what they change ({@link AccessEvents}); revocations also leave a tombstone for a while,
 * so a lookup that was already in flight when the key was deleted cannot put the old grant back.
 */
@ApplicationScoped
public class AccessCache {

    private final Cache<String, Optional<KeyGrant>> keys;
    private final Cache<String, Boolean> unknownKeys;
    private final Cache<String, Optional<ProjectGrant>> memberships;
    /** Deleted keys, archived projects, removed users and service accounts ({@code kind:id}). */
    private final Cache<String, Boolean> revoked;
    private final Directory directory;

    @Inject
    public AccessCache(AccessConfig config, Directory directory) {
        this.directory = directory;
        this.keys = Caffeine.newBuilder().maximumSize(config.maxEntries()).expireAfterWrite(config.keyTtl()).build();
        this.unknownKeys = Caffeine.newBuilder().maximumSize(config.maxEntries()).expireAfterWrite(config.unknownKeyTtl()).build();
        this.memberships = Caffeine.newBuilder().maximumSize(config.maxEntries()).expireAfterWrite(config.membershipTtl()).build();
        Duration tombstone = config.keyTtl().compareTo(config.membershipTtl()) > 0 ? config.keyTtl() : config.membershipTtl();
        this.revoked = Caffeine.newBuilder().maximumSize(config.maxEntries()).expireAfterWrite(tombstone.multipliedBy(2)).build();
    }

    /** The grant of a key already looked up, without blocking: {@code null} when it must be loaded. */
    public Optional<KeyGrant> cachedKey(String hash) {
        if (unknownKeys.getIfPresent(hash) != null) {
            return Optional.empty();
        }
        Optional<KeyGrant> grant = keys.getIfPresent(hash);
        return grant == null ? null : grant.filter(this::live);
    }

    /** The grant of a key, asking the directory on a miss (blocking; concurrent misses for one key share one call). */
    public Optional<KeyGrant> key(String hash, String key) {
        Optional<KeyGrant> cached = cachedKey(hash);
        if (cached != null) {
            return cached;
        }
        Optional<KeyGrant> grant = keys.get(hash, h -> directory.key(key));
        if (grant.isEmpty()) {
            keys.invalidate(hash);
            unknownKeys.put(hash, Boolean.TRUE);
        } else if (!live(grant.get())) {
            keys.invalidate(hash);
            return Optional.empty();
        }
        return grant;
    }

    /** The current request's user's membership of a project (blocking on a miss). */
    public Optional<ProjectGrant> membership(String userId, String projectId) {
        String cacheKey = projectId + '/' + userId;
        return memberships.get(cacheKey, k -> directory.project(projectId))
                .filter(grant -> !isRevoked("project", grant.projectId()) && !isRevoked("member", cacheKey));
    }

    public void keyDeleted(String keyId) {
        revoke("key", keyId);
        keys.asMap().values().removeIf(grant -> grant.isPresent() && grant.get().keyId().equals(keyId));
    }

    public void projectArchived(String projectId) {
        revoke("project", projectId);
        keys.asMap().values().removeIf(grant -> grant.isPresent() && grant.get().projectId().equals(projectId));
        memberships.asMap().keySet().removeIf(key -> key.startsWith(projectId + '/'));
    }

    /** A user left a project or a service account was deleted: their keys stop working in it. */
    public void memberRemoved(String projectId, String memberId) {
        revoke("member", projectId + '/' + memberId);
        memberChanged(projectId, memberId);
    }

    /** A member's role changed: forget what was known, so the next request sees the new role. */
    public void memberChanged(String projectId, String memberId) {
        memberships.invalidate(projectId + '/' + memberId);
        keys.asMap().values().removeIf(grant -> grant.isPresent() && grant.get().projectId().equals(projectId)
                && grant.get().ownerId().equals(memberId));
    }

    /**
     * Re-added after removal: the tombstone goes too, and so does every "unknown key" answer (which cannot be traced
     * to its owner), so the member's keys work at once.
     */
    public void memberAdded(String projectId, String memberId) {
        revoked.invalidate("member:" + projectId + '/' + memberId);
        unknownKeys.invalidateAll();
        memberChanged(projectId, memberId);
    }

    private boolean live(KeyGrant grant) {
        return !grant.expired(System.currentTimeMillis() / 1000) && !isRevoked("key", grant.keyId()) && !isRevoked("project", grant.projectId())
                && !isRevoked("member", grant.projectId() + '/' + grant.ownerId());
    }

    private void revoke(String kind, String id) {
        revoked.put(kind + ':' + id, Boolean.TRUE);
    }

    private boolean isRevoked(String kind, String id) {
        return revoked.getIfPresent(kind + ':' + id) != null;
    }
}
