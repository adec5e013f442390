package dev.meridian.outbox;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;

/**
 * The outbox's meters, so that an operator sees events that do not leave (Kafka away, or refusing them) before anyone
 * misses them: {@code meridian.outbox.pending}, the events written and not yet acknowledged by Kafka;
 * {@code meridian.outbox.oldest.pending.age}, how long the oldest of them has waited (0 with none), the one to alert
 * on; and {@code meridian.outbox.published}, the events the relay has published from this process. The two gauges
 * read the table when they are read (at a scrape), through the partial index on pending rows that the relay uses.
 */
@Startup
@ApplicationScoped
public class OutboxMetrics {

    @Inject
    MeterRegistry registry;

    private Counter published;

    @PostConstruct
    void register() {
        Gauge.builder("meridian.outbox.pending", this, OutboxMetrics::pending)
                .description("Events written to the outbox and not yet acknowledged by Kafka")
                .register(registry);
        TimeGauge.builder("meridian.outbox.oldest.pending.age", this, TimeUnit.SECONDS, OutboxMetrics::oldestPendingAge)
                .description("How long the oldest event not yet acknowledged by Kafka has waited; 0 when none waits")
                .register(registry);
        published = Counter.builder("meridian.outbox.published")
                .description("Events this process has published from the outbox (acknowledged by Kafka and marked)")
                .register(registry);
    }

    /** Counts events whose publication has committed. */
    void published(int events) {
        published.increment(events);
    }

    private double pending() {
        return QuarkusTransaction.requiringNew().call(() -> OutboxEvent.count("publishedAt is null"));
    }

    private double oldestPendingAge() {
        List<OffsetDateTime> oldest = QuarkusTransaction.requiringNew().call(() -> OutboxEvent.getEntityManager()
                .createQuery("select e.createdAt from OutboxEvent e where e.publishedAt is null order by e.seq",
                        OffsetDateTime.class)
                .setMaxResults(1)
                .getResultList());
        if (oldest.isEmpty()) {
            return 0;
        }
        Duration age = Duration.between(oldest.get(0), OffsetDateTime.now(ZoneOffset.UTC));
        return Math.max(0, age.toNanos() / 1e9);
    }
}
