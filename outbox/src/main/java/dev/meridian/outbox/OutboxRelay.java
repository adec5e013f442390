package dev.meridian.outbox;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.hibernate.jpa.HibernateHints;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Publishes outbox rows to Kafka in commit order, marking each published only once Kafka has
 * acknowledged it. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so replicas share the work
 * without publishing the same row concurrently. A Kafka outage leaves rows pending; they go out when
 * the broker returns (at least once: consumers dedupe on the event id).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Hibernate's "skip locked" lock timeout. */
    private static final int SKIP_LOCKED = -2;

    @Inject
    CloudEventSender sender;

    @Inject
    OutboxConfig config;

    @Inject
    ManagedExecutor executor;

    @Inject
    OutboxMetrics metrics;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    /** Events written during startup (seeding) wait until messaging is wired, which happens during startup too. */
    private volatile boolean started;

    void onStarted(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) {
        started = true;
        wake();
    }

    void onStopping(@Observes ShutdownEvent event) {
        started = false;
    }

    /** Called after a transaction that wrote events commits. */
    void wake() {
        if (started) {
            executor.execute(this::drain);
        }
    }

    @Scheduled(every = "${meridian.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    void poll() {
        drain();
    }

    @Scheduled(every = "1h", delayed = "5m")
    void purge() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.retention());
        QuarkusTransaction.requiringNew().run(() -> OutboxEvent.delete("publishedAt < ?1", cutoff));
    }

    /** Relays until nothing is pending; concurrent calls fold into the running one. */
    public void drain() {
        if (!started) {
            return;
        }
        again.set(true);
        while (again.get() && running.compareAndSet(false, true)) {
            try {
                again.set(false);
                while (relayBatch() == config.batchSize()) {
                    // a full batch: there may be more
                }
            } catch (RuntimeException e) {
                LOG.warnf("Outbox relay paused, will retry: %s", e.getMessage());
                return;
            } finally {
                running.set(false);
            }
        }
    }

    /** @return how many rows were published: fewer than claimed if Kafka refused one, then the rest wait */
    int relayBatch() {
        int published = QuarkusTransaction.requiringNew().call(() -> {
            // Marking rows published need not wait for the disk: a mark lost in a crash only sends those
            // events again, which at-least-once delivery allows (consumers dedupe on the event id).
            OutboxEvent.getEntityManager().createNativeQuery("set local synchronous_commit to off").executeUpdate();
            List<OutboxEvent> batch = OutboxEvent.<OutboxEvent> find("publishedAt is null order by seq")
                    .withLock(LockModeType.PESSIMISTIC_WRITE)
                    .withHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                    .withHint(HibernateHints.HINT_READ_ONLY, true)
                    .page(0, config.batchSize())
                    .list();
            if (batch.isEmpty()) {
                return 0;
            }
            List<CompletableFuture<Void>> acks = new ArrayList<>(batch.size());
            for (OutboxEvent row : batch) {
                acks.add(sender.send(row));
            }
            long deadline = System.nanoTime() + config.sendTimeout().toNanos();
            List<Long> sent = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                // Stop at the first failure: later rows wait, so one resource's events stay in order.
                if (!acknowledged(acks.get(i), deadline, batch.get(i))) {
                    break;
                }
                sent.add(batch.get(i).seq);
            }
            if (!sent.isEmpty()) {
                // one statement for the batch, not an update per row that would send each row's data again
                OutboxEvent.update("publishedAt = ?1 where seq in ?2", OffsetDateTime.now(ZoneOffset.UTC), sent);
            }
            return sent.size();
        });
        metrics.published(published);
        return published;
    }

    private static boolean acknowledged(CompletableFuture<Void> ack, long deadline, OutboxEvent row) {
        try {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.debugf("Event %s not acknowledged in time; it stays pending", row.id);
            return false;
        } catch (ExecutionException e) {
            LOG.debugf("Event %s not accepted by Kafka (%s); it stays pending", row.id, e.getCause());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
