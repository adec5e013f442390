package dev.meridian.assistants.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

/**
 * Marks the current session read-only. Reads then skip Hibernate's snapshots of the JSON columns (a deep copy of
 * every tool list and metadata map per row) and the dirty check.
 * <p>
 * The reads that call it ({@code @Transactional(SUPPORTS)}: list and get) start no transaction of their own: each of
 * their statements runs on its own in autocommit, which under PostgreSQL's read committed sees the same as it would
 * inside a transaction (every statement takes its own snapshot either way), without the round trip of a commit or the
 * transaction manager's work. Called inside a caller's transaction, they join it.
 */
@ApplicationScoped
class ReadOnly {

    @Inject
    EntityManager em;

    void session() {
        em.unwrap(Session.class).setDefaultReadOnly(true);
    }
}
