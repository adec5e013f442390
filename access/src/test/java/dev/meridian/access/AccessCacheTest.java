package dev.meridian.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The cache's rules without a service around it: lookups, evictions, tombstones, the race with a revocation. */
class AccessCacheTest {

    static final String KEY = "sk-svcacct-key";
    static final KeyGrant GRANT = new KeyGrant("key_1", "org-a", "proj_a", "service_account", "svc_1", "member", null);

    final Map<String, KeyGrant> known = new ConcurrentHashMap<>(Map.of(KEY, GRANT));
    final AtomicInteger lookups = new AtomicInteger();
    volatile CountDownLatch lookupStarted;
    volatile CountDownLatch lookupMayFinish;

    final Directory directory = new Directory() {
        @Override
        public Optional<KeyGrant> key(String key) {
            lookups.incrementAndGet();
            if (lookupStarted != null) {
                lookupStarted.countDown();
                await(lookupMayFinish);
            }
            return Optional.ofNullable(known.get(key));
        }

        @Override
        public Optional<ProjectGrant> project(String projectId) {
            return Optional.of(new ProjectGrant("org-a", projectId, "user-1", "member"));
        }
    };

    final AccessCache cache = new AccessCache(config(), directory);

    @Test
    void aKeyIsLookedUpOnceThenServedFromMemory() {
        String hash = ApiKeys.hash(KEY);
        assertNull(cache.cachedKey(hash));
        assertEquals(Optional.of(GRANT), cache.key(hash, KEY));
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.of(GRANT), cache.cachedKey(hash));
        }
        assertEquals(1, lookups.get());
        // an unknown key is remembered as unknown too
        assertEquals(Optional.empty(), cache.key(ApiKeys.hash("sk-nope"), "sk-nope"));
        assertEquals(Optional.empty(), cache.cachedKey(ApiKeys.hash("sk-nope")));
        assertEquals(2, lookups.get());
    }

    @Test
    void revocationsRefuseTheKeyEvenIfTheDirectoryStillVouchesForIt() {
        String hash = ApiKeys.hash(KEY);
        cache.key(hash, KEY);
        cache.keyDeleted("key_1");
        assertEquals(Optional.empty(), cache.key(hash, KEY));

        AccessCache archived = new AccessCache(config(), directory);
        archived.key(hash, KEY);
        archived.projectArchived("proj_a");
        assertEquals(Optional.empty(), archived.key(hash, KEY));

        AccessCache removed = new AccessCache(config(), directory);
        removed.key(hash, KEY);
        removed.memberRemoved("proj_a", "svc_1");
        assertEquals(Optional.empty(), removed.key(hash, KEY));
        removed.memberAdded("proj_a", "svc_1");
        assertEquals(Optional.of(GRANT), removed.key(ApiKeys.hash(KEY), KEY), "back in the project, the key works again");
    }

    @Test
    void aLookupInFlightDuringTheRevocationCannotBringTheGrantBack() throws Exception {
        lookupStarted = new CountDownLatch(1);
        lookupMayFinish = new CountDownLatch(1);
        String hash = ApiKeys.hash(KEY);
        CompletableFuture<Optional<KeyGrant>> inFlight = CompletableFuture.supplyAsync(() -> cache.key(hash, KEY));
        assertTrue(lookupStarted.await(5, TimeUnit.SECONDS));
        cache.keyDeleted("key_1");
        lookupMayFinish.countDown();
        assertEquals(Optional.empty(), inFlight.get(5, TimeUnit.SECONDS));
        lookupStarted = null;
        assertEquals(Optional.empty(), cache.key(hash, KEY));
    }

    @Test
    void anExpiredGrantIsRefused() {
        KeyGrant expired = new KeyGrant("key_2", "org-a", null, KeyGrant.ADMIN, "owner", "owner", System.currentTimeMillis() / 1000 - 1);
        known.put("sk-admin-old", expired);
        assertEquals(Optional.empty(), cache.key(ApiKeys.hash("sk-admin-old"), "sk-admin-old"));
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static AccessConfig config() {
        return new AccessConfig() {
            @Override
            public Duration keyTtl() {
                return Duration.ofMinutes(10);
            }

            @Override
            public Duration unknownKeyTtl() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Duration membershipTtl() {
                return Duration.ofMinutes(1);
            }

            @Override
            public long maxEntries() {
                return 1000;
            }

            @Override
            public boolean adminKeys() {
                return false;
            }

            @Override
            public TokenCache tokenCache() {
                throw new UnsupportedOperationException("AccessCache does not read it");
            }

            @Override
            public String keyHelpUrl() {
                return "https://example.invalid/keys";
            }
        };
    }
}
