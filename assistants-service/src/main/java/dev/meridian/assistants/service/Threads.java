package dev.meridian.assistants.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.assistants.entity.MessageEntity;
import dev.meridian.assistants.entity.ThreadEntity;
import dev.meridian.assistants.mapping.AssistantsMapper;
import dev.meridian.assistants.repository.ThreadRepository;
import dev.meridian.assistants.api.MessageRequest;
import dev.meridian.assistants.api.ThreadObject;
import dev.meridian.assistants.api.ThreadRequest;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.id.Ids;
import dev.meridian.common.security.Caller;

/** Threads of the caller's org; a thread's messages live and die with it. */
@ApplicationScoped
public class Threads {

    @Inject
    ThreadRepository threads;

    @Inject
    Messages messages;

    @Inject
    RequestRules rules;

    @Inject
    AssistantsEvents events;

    @Inject
    ReadOnly readOnly;

    /** Creates the thread and its initial messages in one transaction: all of them or nothing. */
    @Transactional
    public ThreadObject create(ObjectNode body, Caller caller) throws JsonProcessingException {
        return AssistantsMapper.toObject(insert(body, caller).thread());
    }

    /** {@link #create} within the caller's transaction, answering the new thread's row (nobody else sees it yet). */
    @Transactional(Transactional.TxType.MANDATORY)
    /** A thread this transaction created, and its messages in order. */
    record Created(ThreadEntity thread, List<MessageEntity> messages) {
    }

    Created insert(ObjectNode body, Caller caller) throws JsonProcessingException {
        ThreadRequest request = rules.read(body, ThreadRequest.class);
        RequestRules.metadata(request.metadata(), "metadata");
        RequestRules.toolResources(request.toolResources());
        List<MessageRequest> initial = request.messages() == null ? List.of() : request.messages();
        for (int i = 0; i < initial.size(); i++) {
            messages.check(initial.get(i), "messages[" + i + "].");
        }

        ThreadEntity thread = new ThreadEntity();
        thread.id = Ids.next("thread");
        thread.orgId = caller.org();
        thread.projectId = caller.project();
        thread.createdAt = Instant.now().getEpochSecond();
        thread.toolResources = request.toolResources();
        thread.metadata = request.metadata() == null ? Map.of() : request.metadata();
        threads.persist(thread);
        ThreadObject created = AssistantsMapper.toObject(thread);
        events.publish(EventTypes.THREAD_CREATED, thread.id, thread.orgId, thread.id, caller.subject(), created);
        List<MessageEntity> added = new java.util.ArrayList<>(initial.size());
        for (int i = 0; i < initial.size(); i++) {
            added.add(messages.add(thread, initial.get(i), "messages[" + i + "].", caller));
        }
        return new Created(thread, added);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ThreadObject get(String id, Caller caller) {
        readOnly.session();
        return AssistantsMapper.toObject(owned(id, caller));
    }

    @Transactional
    public ThreadObject modify(String id, ObjectNode body, Caller caller) throws JsonProcessingException {
        ThreadEntity thread = owned(id, caller);
        ThreadRequest request = rules.read(body, ThreadRequest.class);
        if (body != null && body.has("messages")) {
            throw ApiException.invalid("messages", "Unrecognized request argument supplied: messages. Add messages with"
                    + " POST /v1/threads/{thread_id}/messages.");
        }
        RequestRules.metadata(request.metadata(), "metadata");
        RequestRules.toolResources(request.toolResources());
        if (body != null && body.has("tool_resources")) {
            thread.toolResources = request.toolResources();
        }
        if (body != null && body.has("metadata")) {
            thread.metadata = request.metadata() == null ? Map.of() : request.metadata();
        }
        return AssistantsMapper.toObject(thread);
    }

    @Transactional
    public String delete(String id, Caller caller) {
        ThreadEntity thread = owned(id, caller);
        threads.delete(thread);
        events.publish(EventTypes.THREAD_DELETED, thread.id, thread.orgId, thread.id, caller.subject(), null);
        return thread.id;
    }

    ThreadEntity owned(String id, Caller caller) {
        return threads.findOwned(id, caller.org(), caller.project())
                .orElseThrow(() -> ApiException.notFound(null, "No thread found with id '" + id + "'.", null));
    }
}
