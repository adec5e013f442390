package dev.meridian.admin.repository;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.meridian.admin.entity.OrgUserEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class OrgUserRepository implements PanacheRepositoryBase<OrgUserEntity, String> {

    public Optional<OrgUserEntity> findInOrg(String id, String org) {
        return find("id = ?1 and orgId = ?2", id, org).firstResultOptional();
    }

    public Optional<OrgUserEntity> findByEmail(String email, String org) {
        return find("lower(email) = lower(?1) and orgId = ?2", email, org).firstResultOptional();
    }

    /** Records or refreshes what a token says about its user; one statement, safe under concurrency. */
    public void upsert(String id, String org, String name, String email, long now) {
        getEntityManager().createNativeQuery("insert into org_user (id, org_id, name, email, created_at) values (?1, ?2, ?3, ?4, ?5)"
                + " on conflict (id) do update set org_id = excluded.org_id, name = excluded.name, email = excluded.email")
                .setParameter(1, id).setParameter(2, org).setParameter(3, name).setParameter(4, email).setParameter(5, now)
                .executeUpdate();
    }
}
