package dev.meridian.assistants.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

/**
 * Marks the current transaction's session read-only. Reads then skip Hibernate's snapshots of the
 * JSON columns (a deep copy of every tool list and metadata map per row) and the dirty check at commit.
 */
@ApplicationScoped
class ReadOnly {

    @Inject
    EntityManager em;

    void session() {
        em.unwrap(Session.class).setDefaultReadOnly(true);
    }
}
