package dev.meridian.assistants.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.meridian.assistants.entity.RunStepEntity;
import dev.meridian.common.page.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class RunStepRepository implements PanacheRepositoryBase<RunStepEntity, Long> {

    public Optional<RunStepEntity> findInRun(String id, String runId) {
        return find("id = ?1 and runId = ?2", id, runId).firstResultOptional();
    }

    public List<RunStepEntity> page(String runId, PageRequest request, RunStepEntity cursor) {
        return Keyset.scan(this, "runId = :run", Parameters.with("run", runId), request, cursor);
    }

    /** Every step of the run, oldest first. */
    public List<RunStepEntity> ofRun(String runId) {
        return list("runId", Sort.ascending("createdAt", "seq"), runId);
    }
}
