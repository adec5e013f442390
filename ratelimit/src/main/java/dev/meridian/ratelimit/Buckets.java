package dev.meridian.ratelimit;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.agroal.api.AgroalDataSource;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Token buckets shared by a service's replicas: their state lives in the service's PostgreSQL table
 * {@code rate_limit_bucket} (Bucket4j, select-for-update), and each replica may admit a small share of a limit on its
 * own before it settles with the table (Bucket4j's delaying optimization), so a busy limit costs a database round trip
 * per many requests, not per request. A bucket's key names its limits, so a changed limit starts a fresh bucket.
 */
@ApplicationScoped
public class Buckets {

    private final ProxyManager<String> store;
    private final RateLimitsConfig config;
    private final Cache<String, BucketProxy> proxies = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1)).build();

    @Inject
    public Buckets(AgroalDataSource dataSource, RateLimitsConfig config) {
        this.config = config;
        this.store = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource).primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket").idColumn("id").stateColumn("state").build();
    }

    /** A bucket of {@code perMinute} tokens refilled evenly over a minute, and {@code perDay} a day if given. */
    public BucketProxy bucket(String key, long perMinute, Long perDay) {
        String id = key + '|' + perMinute + (perDay == null ? "" : "|" + perDay);
        return proxies.get(id, k -> {
            Supplier<BucketConfiguration> configuration = () -> {
                var builder = BucketConfiguration.builder()
                        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)));
                if (perDay != null) {
                    builder.addLimit(limit -> limit.capacity(perDay).refillGreedy(perDay, Duration.ofDays(1)));
                }
                return builder.build();
            };
            long unsynchronized = (long) Math.floor(perMinute * config.unsynchronizedShare());
            var remote = store.builder();
            if (unsynchronized > 0) {
                remote = remote.withOptimization(Optimizations.delaying(new DelayParameters(unsynchronized,
                        config.unsynchronizedTime())));
            }
            return remote.build(k, configuration);
        });
    }

    /** Bucket4j's JDBC proxy runs its own transactions: never inside the caller's. */
    public ConsumptionProbe tryConsume(BucketProxy bucket, long tokens) {
        return withRetry(() -> bucket.tryConsumeAndReturnRemaining(tokens));
    }

    public void refund(BucketProxy bucket, long tokens) {
        withRetry(() -> {
            bucket.addTokens(tokens);
            return null;
        });
    }

    public void consumeAnyway(BucketProxy bucket, long tokens) {
        withRetry(() -> {
            bucket.consumeIgnoringRateLimits(tokens);
            return null;
        });
    }

    /**
     * When several requests (on one replica or several) meet a bucket that does not exist yet, Bucket4j's batched
     * commands can fail with "bucket not found" while another one creates it; the bucket exists a moment later, so
     * the command is simply tried again (seen in the e2e test with two replicas).
     */
    private <T> T withRetry(java.util.concurrent.Callable<T> command) {
        for (int attempt = 1;; attempt++) {
            try {
                return QuarkusTransaction.suspendingExisting().call(command);
            } catch (RuntimeException e) {
                if (attempt >= 5 || !notFound(e)) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(attempt * 5_000_000L);
            }
        }
    }

    private static boolean notFound(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BucketNotFoundException) {
                return true;
            }
        }
        return false;
    }
}
