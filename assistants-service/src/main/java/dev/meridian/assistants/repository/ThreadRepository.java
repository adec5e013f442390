package dev.meridian.assistants.repository;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.hibernate.jpa.HibernateHints;

import dev.meridian.assistants.entity.ThreadEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class ThreadRepository implements PanacheRepositoryBase<ThreadEntity, Long> {

    public Optional<ThreadEntity> findOwned(String id, String org, String project) {
        return find("id = ?1 and orgId = ?2 and projectId = ?3", id, org, project).firstResultOptional();
    }

    /**
     * The thread, locked until the transaction ends: creating a run and adding a message both take this
     * lock, so "one active run, and no message added while it is active" holds across replicas. Neither changes
     * the thread, so it is loaded read-only (no snapshot of its JSON columns, no dirty check at the commit).
     */
    public Optional<ThreadEntity> lockOwned(String id, String org, String project) {
        return find("id = ?1 and orgId = ?2 and projectId = ?3", id, org, project).withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint(HibernateHints.HINT_READ_ONLY, true).firstResultOptional();
    }
}
