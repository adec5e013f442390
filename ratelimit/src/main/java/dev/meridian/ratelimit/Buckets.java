package dev.meridian.ratelimit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.agroal.api.AgroalDataSource;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Token buckets shared by a service's replicas: their state lives in the service's PostgreSQL table
 * {@code rate_limit_bucket} (Bucket4j, select-for-update).
 * <p>
 * A small limit (under {@code 1 / unsynchronized-share}) is settled with the table at every request, so it is exact
 * across replicas. A larger one is admitted from the replica's own lock-free copy of the bucket (a local Bucket4j
 * bucket), which a sync thread settles with the table in the background, in one round trip, as soon as the replica
 * has admitted its share of the limit on its own or its oldest unsettled admission is {@code unsynchronized-time} old.
 * So a request neither waits for the database nor for a lock another request holds, except the first request for a
 * bucket on a replica, which reads the shared bucket.
 */
@ApplicationScoped
public class Buckets {

    private static final Logger LOG = Logger.getLogger(Buckets.class);

    private final ProxyManager<String> store;
    private final RateLimitsConfig config;
    private final Cache<String, SharedBucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1)).build();
    private final java.util.concurrent.ThreadPoolExecutor sync;
    private final ScheduledThreadPoolExecutor sweeper;
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
        java.util.concurrent.ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "meridian-ratelimit-sync-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        // a plain queue for settles: a request that hands one over does not contend with the timer's lock
        this.sync = new java.util.concurrent.ThreadPoolExecutor(config.syncThreads(), config.syncThreads(), 0, TimeUnit.MILLISECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), factory);
        this.sweeper = new ScheduledThreadPoolExecutor(1, factory);
        long sweep = Math.max(10, config.unsynchronizedTime().toMillis() / 2);
        sweeper.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /**
     * A bucket of {@code capacity} tokens refilled evenly over {@code period}. The first use on a replica reads the
     * shared bucket (creating it full); later ones use the replica's copy.
     */
    public SharedBucket bucket(String key, long capacity, Duration period) {
        String id = key + '|' + capacity + '|' + period.toSeconds();
        return buckets.get(id, k -> {
            BucketConfiguration configuration = BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period)).build();
            BucketProxy remote = store.builder().build(k, () -> configuration);
            long share = (long) Math.floor(capacity * config.unsynchronizedShare());
            if (share == 0) {
                return new SharedBucket(remote, null, 0);
            }
            long available = withRetry(remote::getAvailableTokens);
            Bucket local = Bucket.builder()
                    .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period).initialTokens(Math.max(0, available)))
                    .build();
            return new SharedBucket(remote, local, share);
        });
    }

    /** Takes {@code tokens} if the bucket has them. */
    public ConsumptionProbe tryConsume(SharedBucket bucket, long tokens) {
        if (bucket.local == null) {
            return withRetry(() -> bucket.remote.tryConsumeAndReturnRemaining(tokens));
        }
        ConsumptionProbe probe = bucket.local.tryConsumeAndReturnRemaining(tokens);
        if (probe.isConsumed()) {
            unsettled(bucket, tokens);
        }
        return probe;
    }

    /** Gives tokens back (a refused request's earlier dimensions, a run that used less than its reservation). */
    public void refund(SharedBucket bucket, long tokens) {
        if (bucket.local == null) {
            withRetry(() -> {
                bucket.remote.addTokens(tokens);
                return null;
            });
            return;
        }
        bucket.local.addTokens(tokens);
        unsettled(bucket, -tokens);
    }

    /** Takes tokens even beyond the limit (a run that used more than its reservation). */
    public void consumeAnyway(SharedBucket bucket, long tokens) {
        if (bucket.local == null) {
            withRetry(() -> bucket.remote.consumeIgnoringRateLimits(tokens));
            return;
        }
        bucket.local.consumeIgnoringRateLimits(tokens);
        unsettled(bucket, tokens);
    }

    private void unsettled(SharedBucket bucket, long tokens) {
        long pending = bucket.unsettled.addAndGet(tokens);
        if (Math.abs(pending) >= bucket.share || System.nanoTime() - bucket.lastSync >= config.unsynchronizedTime().toNanos()) {
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

    /**
     * Sends what the replica admitted (or gave back) since it last settled to the shared bucket, in one round trip,
     * and brings the replica's copy to what the shared bucket then holds, less what was admitted meanwhile.
     */
    private void settleNow(SharedBucket bucket) {
        long started = System.nanoTime();
        long sent = bucket.unsettled.getAndSet(0);
        try {
            long shared = withRetry(() -> {
                if (sent > 0) {
                    return bucket.remote.asVerbose().consumeIgnoringRateLimits(sent).getDiagnostics().getAvailableTokens();
                }
                if (sent < 0) {
                    bucket.remote.addTokens(-sent);
                }
                return bucket.remote.getAvailableTokens();
            });
            long meanwhile = bucket.unsettled.get();
            long difference = shared - meanwhile - bucket.local.getAvailableTokens();
            if (difference > 0) {
                bucket.local.addTokens(difference);
            } else if (difference < 0) {
                bucket.local.consumeIgnoringRateLimits(-difference);
            }
            bucket.lastSync = System.nanoTime();
        } catch (RuntimeException e) {
            bucket.unsettled.addAndGet(sent); // sent again with the next settle
            LOG.warnf("Could not settle rate-limit bucket with PostgreSQL: %s", e.getMessage());
        } finally {
            syncTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            bucket.syncing.set(false);
        }
        if (Math.abs(bucket.unsettled.get()) >= bucket.share) {
            settleLater(bucket);
        }
    }

    /** Settles buckets whose admissions have waited {@code unsynchronized-time}, busy or not. */
    private void sweep() {
        long now = System.nanoTime();
        long due = config.unsynchronizedTime().toNanos();
        buckets.asMap().values().forEach(bucket -> {
            if (bucket.local != null && bucket.unsettled.get() != 0 && now - bucket.lastSync >= due) {
                settleLater(bucket);
            }
        });
    }

    /** A replica that stops settles what it admitted on its own. */
    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
        sync.shutdown();
        try {
            sync.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        buckets.asMap().values().forEach(bucket -> {
            if (bucket.local != null && bucket.unsettled.get() != 0 && !bucket.syncing.get()) {
                settleNow(bucket);
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

    /**
     * One bucket as this replica sees it: the shared one in PostgreSQL and, for a limit large enough to allow it, the
     * replica's lock-free copy, which admits on its own and is settled by the sync threads.
     */
    public static final class SharedBucket {
        final BucketProxy remote;
        /** The replica's copy; null when every request settles with the shared bucket (a small limit, exact). */
        final Bucket local;
        /** Tokens this replica may admit on its own before settling. */
        final long share;
        /** Admitted (positive) or given back (negative) since the last settle. */
        final AtomicLong unsettled = new AtomicLong();
        final AtomicBoolean syncing = new AtomicBoolean();
        volatile long lastSync = System.nanoTime();

        SharedBucket(BucketProxy remote, Bucket local, long share) {
            this.remote = remote;
            this.local = local;
            this.share = share;
        }
    }
}
