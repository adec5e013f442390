package dev.meridian.ratelimit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.agroal.api.AgroalDataSource;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.manual.ManuallySyncingOptimization;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Token buckets shared by a service's replicas: their state lives in the service's PostgreSQL table
 * {@code rate_limit_bucket} (Bucket4j, select-for-update).
 * <p>
 * A small limit (under {@code 1 / unsynchronized-share} a minute) is settled with the table at every request, so it
 * is exact across replicas. A larger one is admitted from the replica's own copy of the bucket (Bucket4j's manually
 * syncing optimization), which sync threads settle with the table in the background as soon as the replica has
 * admitted its share of the limit on its own, or its oldest unsettled admission is {@code unsynchronized-time} old:
 * a request never waits for the database, except the first one for a bucket on a replica.
 */
@ApplicationScoped
public class Buckets {

    private static final Logger LOG = Logger.getLogger(Buckets.class);

    private final ProxyManager<String> store;
    private final RateLimitsConfig config;
    private final Cache<String, SharedBucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1)).build();
    private final ScheduledThreadPoolExecutor sync;
    private final Timer syncTime;

    @Inject
    public Buckets(AgroalDataSource dataSource, RateLimitsConfig config, MeterRegistry registry) {
        this.config = config;
        this.store = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource).primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket").idColumn("id").stateColumn("state").build();
        this.syncTime = Timer.builder("meridian.ratelimit.sync")
                .description("Time to settle a replica's own admissions with the shared bucket in PostgreSQL")
                .publishPercentiles(0.5, 0.99).register(registry);
        AtomicInteger threads = new AtomicInteger();
        this.sync = new ScheduledThreadPoolExecutor(config.syncThreads(), runnable -> {
            Thread thread = new Thread(runnable, "meridian-ratelimit-sync-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        long sweep = Math.max(10, config.unsynchronizedTime().toMillis() / 2);
        sync.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** A bucket of {@code perMinute} tokens refilled evenly over a minute, and {@code perDay} a day if given. */
    public SharedBucket bucket(String key, long perMinute, Long perDay) {
        String id = key + '|' + perMinute + (perDay == null ? "" : "|" + perDay);
        return buckets.get(id, k -> {
            Supplier<BucketConfiguration> configuration = () -> {
                var builder = BucketConfiguration.builder()
                        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)));
                if (perDay != null) {
                    builder.addLimit(limit -> limit.capacity(perDay).refillGreedy(perDay, Duration.ofDays(1)));
                }
                return builder.build();
            };
            long share = (long) Math.floor(perMinute * config.unsynchronizedShare());
            var remote = store.builder();
            if (share > 0) {
                remote = remote.withOptimization(new ManuallySyncingOptimization());
            }
            return new SharedBucket(remote.build(k, configuration), share);
        });
    }

    /** Takes {@code tokens} if the bucket has them; Bucket4j's JDBC proxy runs its own transactions, never the caller's. */
    public ConsumptionProbe tryConsume(SharedBucket bucket, long tokens) {
        ConsumptionProbe probe = withRetry(() -> bucket.proxy.tryConsumeAndReturnRemaining(tokens));
        if (probe.isConsumed()) {
            unsettled(bucket, tokens);
        }
        return probe;
    }

    /** Gives tokens back (settled with the table at once: Bucket4j adds tokens only there). */
    public void refund(SharedBucket bucket, long tokens) {
        withRetry(() -> {
            bucket.proxy.addTokens(tokens);
            return null;
        });
        bucket.settled(System.nanoTime());
    }

    /** Takes tokens even beyond the limit (a run that used more than its reservation). */
    public void consumeAnyway(SharedBucket bucket, long tokens) {
        withRetry(() -> {
            bucket.proxy.consumeIgnoringRateLimits(tokens);
            return null;
        });
        unsettled(bucket, tokens);
    }

    private void unsettled(SharedBucket bucket, long tokens) {
        if (bucket.share == 0) {
            return;
        }
        long pending = bucket.unsettled.addAndGet(tokens);
        if (pending >= bucket.share || System.nanoTime() - bucket.lastSync >= config.unsynchronizedTime().toNanos()) {
            settleLater(bucket);
        }
    }

    private void settleLater(SharedBucket bucket) {
        if (bucket.syncing.compareAndSet(false, true)) {
            try {
                sync.execute(() -> settleNow(bucket));
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                bucket.syncing.set(false);
            }
        }
    }

    private void settleNow(SharedBucket bucket) {
        long started = System.nanoTime();
        try {
            bucket.unsettled.set(0);
            withRetry(() -> {
                bucket.proxy.getOptimizationController().syncImmediately();
                return null;
            });
            bucket.settled(System.nanoTime());
        } catch (RuntimeException e) {
            // the replica's own admissions since the last settle are not counted on the other replicas: at most one
            // share of the limit; the next settle carries on
            LOG.warnf("Could not settle rate-limit bucket with PostgreSQL: %s", e.getMessage());
        } finally {
            syncTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            bucket.syncing.set(false);
        }
        if (bucket.unsettled.get() >= bucket.share) {
            settleLater(bucket);
        }
    }

    /** Settles buckets whose admissions have waited {@code unsynchronized-time}, busy or not. */
    private void sweep() {
        long now = System.nanoTime();
        long due = config.unsynchronizedTime().toNanos();
        buckets.asMap().values().forEach(bucket -> {
            if (bucket.unsettled.get() > 0 && now - bucket.lastSync >= due) {
                settleLater(bucket);
            }
        });
    }

    /** A replica that stops settles what it admitted on its own (within a few seconds). */
    @PreDestroy
    void stop() {
        sync.shutdown();
        try {
            sync.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        buckets.asMap().values().forEach(bucket -> {
            if (bucket.unsettled.get() > 0) {
                try {
                    bucket.proxy.getOptimizationController().syncImmediately();
                } catch (RuntimeException e) {
                    LOG.debugf("Could not settle a rate-limit bucket on shutdown: %s", e.getMessage());
                }
            }
        });
    }

    /**
     * When several requests (on one replica or several) meet a bucket that does not exist yet, Bucket4j's batched
     * commands can fail with "bucket not found" while another one creates it; the bucket exists a moment later, so
     * the command is simply tried again (seen in the e2e test with two replicas).
     */
    private static <T> T withRetry(Callable<T> command) {
        for (int attempt = 1;; attempt++) {
            try {
                return QuarkusTransaction.isActive() ? QuarkusTransaction.suspendingExisting().call(command) : command.call();
            } catch (RuntimeException e) {
                if (attempt >= 5 || !notFound(e)) {
                    throw e;
                }
                LockSupport.parkNanos(attempt * 5_000_000L);
            } catch (Exception e) {
                throw new IllegalStateException(e);
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

    /** One bucket as this replica sees it: Bucket4j's proxy and what the replica admitted since it last settled. */
    public static final class SharedBucket {
        final BucketProxy proxy;
        /** Tokens this replica may admit on its own before settling; 0 settles at every request. */
        final long share;
        final AtomicLong unsettled = new AtomicLong();
        final AtomicBoolean syncing = new AtomicBoolean();
        volatile long lastSync = System.nanoTime();

        SharedBucket(BucketProxy proxy, long share) {
            this.proxy = proxy;
            this.share = share;
        }

        void settled(long now) {
            lastSync = now;
        }
    }
}
