package dev.meridian.assistants.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.jpa.HibernateHints;

import dev.meridian.assistants.entity.AssistantEntity;
import dev.meridian.common.page.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

@ApplicationScoped
public class AssistantRepository implements PanacheRepositoryBase<AssistantEntity, Long> {

    public Optional<AssistantEntity> findOwned(String id, String org, String project) {
        return find("id = ?1 and orgId = ?2 and projectId = ?3", id, org, project).firstResultOptional();
    }

    /** As {@link #findOwned}, for a transaction that only reads the assistant (a run's creation): loaded read-only. */
    public Optional<AssistantEntity> readOwned(String id, String org, String project) {
        return find("id = ?1 and orgId = ?2 and projectId = ?3", id, org, project)
                .withHint(HibernateHints.HINT_READ_ONLY, true).firstResultOptional();
    }

    /** @param cursor the row the caller's cursor names, already resolved in the same org */
    public List<AssistantEntity> page(String org, String project, PageRequest request, AssistantEntity cursor) {
        return Keyset.scan(this, "orgId = :org and projectId = :project", Parameters.with("org", org).and("project", project), request, cursor);
    }
}
