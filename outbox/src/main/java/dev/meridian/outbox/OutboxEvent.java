package dev.meridian.outbox;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An event waiting to be (or already) relayed to Kafka. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(nullable = false, unique = true)
    public String id;

    @Column(nullable = false)
    public String topic;

    @Column(name = "event_key", nullable = false)
    public String key;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String source;

    public String subject;

    @Column(nullable = false)
    public OffsetDateTime time;

    @Column(nullable = false)
    public String data;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "published_at")
    public OffsetDateTime publishedAt;
}
