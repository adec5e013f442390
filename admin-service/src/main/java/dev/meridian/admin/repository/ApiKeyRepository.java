package dev.meridian.admin.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.meridian.admin.entity.ApiKeyEntity;
import dev.meridian.common.page.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKeyEntity, String> {

    public Optional<ApiKeyEntity> findByHash(String hash) {
        return find("hash", hash).firstResultOptional();
    }

    public Optional<ApiKeyEntity> findInProject(String id, String projectId) {
        return find("id = ?1 and projectId = ?2", id, projectId).firstResultOptional();
    }

    public List<ApiKeyEntity> ofOwner(String ownerId, String projectId) {
        return list("ownerId = ?1 and projectId = ?2", ownerId, projectId);
    }

    public List<ApiKeyEntity> page(String projectId, PageRequest request, Long afterSeq) {
        String query = "projectId = :project" + (afterSeq == null ? "" : " and seq > :after") + " order by seq";
        Parameters params = Parameters.with("project", projectId);
        if (afterSeq != null) {
            params.and("after", afterSeq);
        }
        return find(query, params).page(0, request.fetchSize()).list();
    }

    /** Refreshed when a replica looks the key up, i.e. at most once per cache lifetime per replica. */
    public void touch(String id, long now) {
        update("lastUsedAt = ?1 where id = ?2", now, id);
    }
}
