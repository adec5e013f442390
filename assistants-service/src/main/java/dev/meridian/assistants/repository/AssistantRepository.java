package dev.meridian.assistants.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.meridian.assistants.entity.AssistantEntity;
import dev.meridian.common.page.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

@ApplicationScoped
public class AssistantRepository implements PanacheRepositoryBase<AssistantEntity, Long> {

    public Optional<AssistantEntity> findOwned(String id, String org) {
        return find("id = ?1 and orgId = ?2", id, org).firstResultOptional();
    }

    /** @param cursor the row the caller's cursor names, already resolved in the same org */
    public List<AssistantEntity> page(String org, PageRequest request, AssistantEntity cursor) {
        return Keyset.scan(this, "orgId = :org", Parameters.with("org", org), request, cursor);
    }
}
