package dev.meridian.assistants.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.meridian.assistants.entity.MessageEntity;
import dev.meridian.common.page.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

@ApplicationScoped
public class MessageRepository implements PanacheRepositoryBase<MessageEntity, Long> {

    public Optional<MessageEntity> findInThread(String id, String threadId) {
        return find("id = ?1 and threadId = ?2", id, threadId).firstResultOptional();
    }

    /** @param runId only the messages of this run, or null for all */
    public List<MessageEntity> page(String threadId, String runId, PageRequest request, MessageEntity cursor) {
        Parameters params = Parameters.with("thread", threadId);
        String scope = "threadId = :thread";
        if (runId != null) {
            scope += " and runId = :run";
            params.and("run", runId);
        }
        return Keyset.scan(this, scope, params, request, cursor);
    }
}
