package dev.meridian.access;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.meridian.common.security.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Access tokens this replica has already verified, so a token seen again costs a SHA-256 and a map lookup instead of
 * an RS256 verification and a parse of its claims. An entry is the identity OIDC built for the token, less what
 * belonged to the request that brought it, and lasts until the token's {@code exp} or
 * {@code meridian.access.token-cache.max-ttl}, whichever comes first; a token OIDC rejected is never kept. As an
 * augmentor it sees every identity OIDC builds (it runs after every other augmentor); {@link VerifiedTokenMechanism}
 * answers from it before OIDC is asked.
 */
@ApplicationScoped
public class VerifiedTokens implements SecurityIdentityAugmentor {

    private final boolean enabled;
    private final long maxTtlNanos;
    private final Cache<ByteBuffer, Entry> cache;
    private final Counter hits;
    private final Counter misses;

    private record Entry(SecurityIdentity identity, long expiresAtNanos) {
    }

    @Inject
    public VerifiedTokens(AccessConfig config, MeterRegistry registry) {
        AccessConfig.TokenCache settings = config.tokenCache();
        this.enabled = settings.enabled();
        this.maxTtlNanos = settings.maxTtl().toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.maxEntries())
                .expireAfter(new Expiry<ByteBuffer, Entry>() {
                    @Override
                    public long expireAfterCreate(ByteBuffer key, Entry entry, long now) {
                        return Math.max(0, entry.expiresAtNanos() - System.nanoTime());
                    }

                    @Override
                    public long expireAfterUpdate(ByteBuffer key, Entry entry, long now, long currentDuration) {
                        return expireAfterCreate(key, entry, now);
                    }

                    @Override
                    public long expireAfterRead(ByteBuffer key, Entry entry, long now, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
        this.hits = Counter.builder("meridian.access.tokens").tag("result", "verified-before")
                .description("Bearer tokens answered from the cache of verified tokens").register(registry);
        this.misses = Counter.builder("meridian.access.tokens").tag("result", "verified-now")
                .description("Bearer tokens that had to be verified (the cache had no live entry)").register(registry);
    }

    /** The identity of {@code token} if this replica verified it before and it has not expired, else {@code null}. */
    public SecurityIdentity lookup(String token) {
        if (!enabled) {
            return null;
        }
        Entry entry = cache.getIfPresent(key(token));
        if (entry == null || entry.expiresAtNanos() - System.nanoTime() <= 0) {
            misses.increment();
            return null;
        }
        hits.increment();
        return entry.identity();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (enabled && identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getRawToken() != null
                && identity.getCredential(AccessTokenCredential.class) != null && jwt.getExpirationTime() > 0) {
            long secondsLeft = jwt.getExpirationTime() - System.currentTimeMillis() / 1000;
            long ttl = Math.min(maxTtlNanos, TimeUnit.SECONDS.toNanos(secondsLeft));
            if (ttl > 0) {
                cache.put(key(jwt.getRawToken()), new Entry(detached(identity), System.nanoTime() + ttl));
            }
        }
        return Uni.createFrom().item(identity);
    }

    /** Last, so the identity kept is the one every other augmentor has finished. */
    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    /** Tokens currently kept (for tests and metrics). */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** The identity without the attributes that belong to the request that brought the token. */
    private static SecurityIdentity detached(SecurityIdentity identity) {
        QuarkusSecurityIdentity.Builder copy = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addRoles(identity.getRoles())
                .addCredentials(identity.getCredentials());
        identity.getAttributes().forEach((name, value) -> {
            if (!(value instanceof RoutingContext) && !(value instanceof AuthenticationRequestContext)) {
                copy.addAttribute(name, value);
            }
        });
        // read once here: the principal looks a custom claim up by throwing and catching an exception each time
        Object org = ((JsonWebToken) identity.getPrincipal()).getClaim(Caller.ORG_CLAIM);
        if (org instanceof String text && !text.isBlank()) {
            copy.addAttribute(Caller.ORG_ATTRIBUTE, text);
        } else if (org instanceof JsonString text && !text.getString().isBlank()) {
            copy.addAttribute(Caller.ORG_ATTRIBUTE, text.getString());
        }
        return copy.build();
    }

    private static ByteBuffer key(String token) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
