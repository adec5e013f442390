package dev.meridian.admin.repository;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.meridian.admin.entity.CatalogModelEntity;
import dev.meridian.admin.entity.RateLimitEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class RateLimitRepository implements PanacheRepositoryBase<RateLimitEntity, RateLimitEntity.Key> {

    public Optional<RateLimitEntity> findFor(String projectId, String model) {
        return find("projectId = ?1 and model = ?2", projectId, model).firstResultOptional();
    }

    public Map<String, RateLimitEntity> ofProject(String projectId) {
        return list("projectId", projectId).stream().collect(Collectors.toMap(r -> r.model, Function.identity()));
    }

    /** The models a project may use: the base models and its org's fine-tuned models of that project, by id. */
    public List<CatalogModelEntity> modelsOf(String org, String projectId) {
        return getEntityManager().createQuery("from CatalogModelEntity where orgId is null or (orgId = :org and projectId = :project)",
                CatalogModelEntity.class).setParameter("org", org).setParameter("project", projectId).getResultList()
                .stream().sorted(java.util.Comparator.comparing(m -> m.id)).toList();
    }

    public Optional<CatalogModelEntity> catalogModel(String id) {
        return Optional.ofNullable(getEntityManager().find(CatalogModelEntity.class, id));
    }
}
