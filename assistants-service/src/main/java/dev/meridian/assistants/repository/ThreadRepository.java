package dev.meridian.assistants.repository;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.meridian.assistants.entity.ThreadEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class ThreadRepository implements PanacheRepositoryBase<ThreadEntity, Long> {

    public Optional<ThreadEntity> findOwned(String id, String org) {
        return find("id = ?1 and orgId = ?2", id, org).firstResultOptional();
    }
}
