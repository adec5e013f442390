package dev.meridian.admin.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.meridian.admin.entity.ProjectEntity;
import dev.meridian.common.page.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

@ApplicationScoped
public class ProjectRepository implements PanacheRepositoryBase<ProjectEntity, String> {

    public Optional<ProjectEntity> findInOrg(String id, String org) {
        return find("id = ?1 and orgId = ?2", id, org).firstResultOptional();
    }

    public Optional<ProjectEntity> lockInOrg(String id, String org) {
        return find("id = ?1 and orgId = ?2", id, org).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /**
     * A page of the org's projects in creation order; {@code memberOf} limits it to the projects a non-owner may see
     * (null: all of them).
     */
    public List<ProjectEntity> page(String org, boolean includeArchived, List<String> memberOf, PageRequest request, Long afterSeq) {
        StringBuilder query = new StringBuilder("orgId = :org");
        Parameters params = Parameters.with("org", org);
        if (!includeArchived) {
            query.append(" and archivedAt is null");
        }
        if (memberOf != null) {
            query.append(" and (isDefault = true or id in :ids)");
            params.and("ids", memberOf.isEmpty() ? List.of("") : memberOf);
        }
        if (afterSeq != null) {
            query.append(" and seq > :after");
            params.and("after", afterSeq);
        }
        return find(query.append(" order by seq").toString(), params).page(0, request.fetchSize()).list();
    }
}
