package dev.meridian.assistants.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.jpa.HibernateHints;

import dev.meridian.assistants.entity.MessageEntity;
import dev.meridian.common.page.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class MessageRepository implements PanacheRepositoryBase<MessageEntity, Long> {

    public Optional<MessageEntity> findInThread(String id, String threadId) {
        return find("id = ?1 and threadId = ?2", id, threadId).firstResultOptional();
    }

    /** The message {@code id} of the thread, if the thread belongs to this org and project. */
    public Optional<MessageEntity> findOwned(String id, String threadId, String org, String project) {
        return find("id = ?1 and threadId = ?2 and orgId = ?3 and projectId = ?4", id, threadId, org, project)
                .firstResultOptional();
    }

    /**
     * The thread's messages in order, for a run's prompt: loaded read-only (no snapshot of each message's content and
     * attachments, no dirty check at the commit), since the transactions that build a prompt change none of them.
     */
    public List<MessageEntity> forPrompt(String threadId) {
        return find("threadId", Sort.ascending("createdAt", "seq"), threadId).withHint(HibernateHints.HINT_READ_ONLY, true)
                .list();
    }

    /**
     * A page of the thread's messages, if the thread belongs to this org and project (its messages carry both).
     *
     * @param runId only the messages of this run, or null for all
     */
    public List<MessageEntity> page(String threadId, String org, String project, String runId, PageRequest request,
            MessageEntity cursor) {
        Parameters params = Parameters.with("thread", threadId).and("org", org).and("project", project);
        String scope = "threadId = :thread and orgId = :org and projectId = :project";
        if (runId != null) {
            scope += " and runId = :run";
            params.and("run", runId);
        }
        return Keyset.scan(this, scope, params, request, cursor);
    }
}
