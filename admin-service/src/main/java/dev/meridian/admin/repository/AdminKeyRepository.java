package dev.meridian.admin.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.meridian.admin.entity.AdminKeyEntity;
import dev.meridian.common.page.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

@ApplicationScoped
public class AdminKeyRepository implements PanacheRepositoryBase<AdminKeyEntity, String> {

    public Optional<AdminKeyEntity> findByHash(String hash) {
        return find("hash", hash).firstResultOptional();
    }

    public Optional<AdminKeyEntity> findInOrg(String id, String org) {
        return find("id = ?1 and orgId = ?2", id, org).firstResultOptional();
    }

    /** A page in {@code seq} order ({@code ascending} or not) after the cursor's {@code seq}. */
    public List<AdminKeyEntity> page(String org, PageRequest request, Long afterSeq) {
        boolean ascending = request.scanAscending();
        String query = "orgId = :org" + (afterSeq == null ? "" : " and seq " + (ascending ? ">" : "<") + " :after")
                + " order by seq " + (ascending ? "asc" : "desc");
        Parameters params = Parameters.with("org", org);
        if (afterSeq != null) {
            params.and("after", afterSeq);
        }
        return find(query, params).page(0, request.fetchSize()).list();
    }

    public void touch(String id, long now) {
        update("lastUsedAt = ?1 where id = ?2", now, id);
    }
}
