package dev.meridian.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Makes a consumer idempotent: it records the event id in the consumer's transaction and says whether
 * this is the first delivery. A redelivered event is recognised and skipped.
 */
@ApplicationScoped
public class Inbox {

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, String eventId) {
        int inserted = em.createNativeQuery(
                "insert into inbox_event (consumer, event_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .executeUpdate();
        return inserted == 1;
    }
}
