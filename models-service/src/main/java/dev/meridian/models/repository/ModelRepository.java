package dev.meridian.models.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.meridian.models.entity.ModelEntry;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class ModelRepository implements PanacheRepositoryBase<ModelEntry, String> {

    private static final String VISIBLE = "(orgId is null or (orgId = ?1 and projectId = ?2))";

    /** Base models plus the project's own, oldest first (ties by id, so the order is stable). */
    public List<ModelEntry> visibleTo(String org, String project) {
        return list(VISIBLE, Sort.by("created").and("id"), org, project);
    }

    public Optional<ModelEntry> findVisible(String id, String org, String project) {
        return find("id = ?3 and " + VISIBLE, org, project, id).firstResultOptional();
    }
}
