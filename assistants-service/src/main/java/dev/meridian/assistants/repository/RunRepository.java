package dev.meridian.assistants.repository;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.meridian.assistants.entity.RunEntity;
import dev.meridian.common.page.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<RunEntity, Long> {

    public Optional<RunEntity> findInThread(String id, String threadId) {
        return find("id = ?1 and threadId = ?2", id, threadId).firstResultOptional();
    }

    /** The run, locked for the rest of the transaction: every status change goes through this. */
    public Optional<RunEntity> lock(String id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** The run of the thread, locked for the rest of the transaction. */
    public Optional<RunEntity> lockInThread(String id, String threadId) {
        return find("id = ?1 and threadId = ?2", id, threadId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    /**
     * The statuses are written into the query rather than bound: Hibernate translates a query with a list parameter
     * again at every execution, and this one runs at every run's creation and message's addition.
     */
    private static final String ACTIVE_IN = "threadId = ?1 and status in ("
            + RunEntity.ACTIVE.stream().sorted().map(status -> "'" + status + "'").collect(Collectors.joining(", ")) + ")";

    public Optional<RunEntity> activeIn(String threadId) {
        return find(ACTIVE_IN, threadId).firstResultOptional();
    }

    public List<RunEntity> page(String threadId, PageRequest request, RunEntity cursor) {
        return Keyset.scan(this, "threadId = :thread", Parameters.with("thread", threadId), request, cursor);
    }

    /**
     * Ids of runs in {@code status} whose lease has lapsed (or that never had one), skipping rows another
     * replica holds locked right now.
     */
    @SuppressWarnings("unchecked")
    public List<String> lapsed(String status, long now, int limit) {
        return getEntityManager().createNativeQuery("select id from run where status = ?1 and (lease_until is null"
                + " or lease_until < ?2) order by seq limit ?3 for update skip locked")
                .setParameter(1, status).setParameter(2, now).setParameter(3, limit).getResultList();
    }

    /** Ids of runs waiting for tool outputs past their expiry. */
    @SuppressWarnings("unchecked")
    public List<String> overdue(long nowSeconds, int limit) {
        return getEntityManager().createNativeQuery("select id from run where status in ('queued', 'requires_action')"
                + " and expires_at < ?1 order by seq limit ?2 for update skip locked")
                .setParameter(1, nowSeconds).setParameter(2, limit).getResultList();
    }

    /** Extends this replica's leases on {@code ids}; answers the ids whose run was asked to cancel meanwhile. */
    @SuppressWarnings("unchecked")
    public List<String> renew(String owner, List<String> ids, long until) {
        return getEntityManager().createNativeQuery("update run set lease_until = ?1 where lease_owner = ?2"
                + " and id = any(?3) and status in ('in_progress', 'cancelling') returning id, status")
                .setParameter(1, until).setParameter(2, owner).setParameter(3, ids.toArray(String[]::new))
                .getResultStream().filter(row -> "cancelling".equals(((Object[]) row)[1]))
                .map(row -> (String) ((Object[]) row)[0]).toList();
    }
}
