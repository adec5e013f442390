package dev.meridian.outbox;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.common.events.CloudEvent;

/**
 * Records an event in the caller's transaction. Either the change and its event commit together or
 * neither does; after commit the relay is nudged so events usually leave within milliseconds.
 */
@ApplicationScoped
public class EventOutbox {

    @Inject
    ObjectMapper json;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    OutboxRelay relay;

    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(String topic, CloudEvent<?> event) {
        OutboxEvent row = new OutboxEvent();
        row.id = event.id();
        row.topic = topic;
        row.key = event.key();
        row.type = event.type();
        row.source = event.source();
        row.subject = event.subject();
        row.time = event.time();
        row.data = serialize(event.data());
        row.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        row.persist();
        afterCommit(relay::wake);
    }

    /** Runs {@code action} once the caller's transaction has committed (never if it rolls back). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void afterCommit(Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }

    private String serialize(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event data is not serializable to JSON: " + data.getClass(), e);
        }
    }
}
