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
import dev.meridian.assistants.repository.MessageRepository;
import dev.meridian.assistants.repository.RunRepository;
import dev.meridian.assistants.repository.ThreadRepository;
import dev.meridian.common.api.ListResponse;
import dev.meridian.assistants.api.MessageObject;
import dev.meridian.assistants.api.MessageRequest;
import dev.meridian.assistants.api.MessageUpdate;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.id.Ids;
import dev.meridian.common.page.Page;
import dev.meridian.common.page.PageRequest;
import dev.meridian.common.security.Caller;

/** Messages of a thread the caller's org owns. */
@ApplicationScoped
public class Messages {

    static final String COMPLETED = "completed";

    @Inject
    MessageRepository messages;

    @Inject
    ThreadRepository threads;

    @Inject
    RunRepository runs;

    @Inject
    RequestRules rules;

    @Inject
    AssistantsEvents events;

    @Inject
    ReadOnly readOnly;

    @Transactional
    public MessageObject create(String threadId, ObjectNode body, Caller caller) throws JsonProcessingException {
        MessageRequest request = rules.read(body, MessageRequest.class);
        ThreadEntity thread = threads.lockOwned(threadId, caller.org(), caller.project())
                .orElseThrow(() -> ApiException.notFound(null, "No thread found with id '" + threadId + "'.", null));
        runs.activeIn(thread.id).ifPresent(run -> {
            throw ApiException.invalid(null, "Can't add messages to " + thread.id + " while a run " + run.id
                    + " is active.");
        });
        check(request, "");
        return AssistantsMapper.toObject(add(thread, request, "", caller));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ListResponse<MessageObject> list(String threadId, String runId, PageRequest request, Caller caller) {
        readOnly.session();
        // A thread's messages carry its org and project, so a page that finds some proves the thread is the caller's:
        // only an empty page, or a cursor not found, needs the thread itself, for its 404.
        MessageEntity cursor = null;
        if (request.cursor() != null) {
            cursor = messages.findOwned(request.cursor(), threadId, caller.org(), caller.project()).orElse(null);
            if (cursor == null) {
                thread(threadId, caller);
                throw Assistants.badCursor(request);
            }
        }
        String run = runId == null || runId.isBlank() ? null : runId;
        List<MessageEntity> page = messages.page(threadId, caller.org(), caller.project(), run, request, cursor);
        if (page.isEmpty()) {
            thread(threadId, caller);
        }
        return Page.of(request, page.stream().map(AssistantsMapper::toObject).toList(), MessageObject::id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public MessageObject get(String threadId, String id, Caller caller) {
        readOnly.session();
        return AssistantsMapper.toObject(owned(threadId, id, caller));
    }

    @Transactional
    public MessageObject modify(String threadId, String id, ObjectNode body, Caller caller) throws JsonProcessingException {
        MessageEntity message = owned(threadId, id, caller);
        MessageUpdate update = rules.read(body, MessageUpdate.class);
        RequestRules.metadata(update.metadata(), "metadata");
        if (body != null && body.has("metadata")) {
            message.metadata = update.metadata() == null ? Map.of() : update.metadata();
        }
        return AssistantsMapper.toObject(message);
    }

    @Transactional
    public String delete(String threadId, String id, Caller caller) {
        MessageEntity message = owned(threadId, id, caller);
        messages.delete(message);
        return message.id;
    }

    /** The rules of one message; {@code prefix} locates it in the request (e.g. {@code messages[2].}). */
    void check(MessageRequest request, String prefix) {
        if (request == null) {
            throw ApiException.invalid(prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1),
                    "Invalid message: expected an object with 'role' and 'content'.");
        }
        if (request.role() == null) {
            throw ApiException.invalid(prefix + "role", "Missing required parameter: '" + prefix + "role'.");
        }
        RequestRules.content(request.content(), prefix + "content");
        RequestRules.metadata(request.metadata(), prefix + "metadata");
    }

    /** Stores a checked message in {@code thread} and records its event. */
    MessageEntity add(ThreadEntity thread, MessageRequest request, String prefix, Caller caller) {
        MessageEntity message = new MessageEntity();
        message.id = Ids.next("msg");
        message.orgId = thread.orgId;
        message.projectId = thread.projectId;
        message.threadId = thread.id;
        message.createdAt = Instant.now().getEpochSecond();
        message.status = COMPLETED;
        message.completedAt = message.createdAt;
        message.role = request.role();
        message.content = RequestRules.content(request.content(), prefix + "content");
        message.attachments = request.attachments() == null ? List.of() : request.attachments();
        message.metadata = request.metadata() == null ? Map.of() : request.metadata();
        messages.persist(message);
        events.publish(EventTypes.MESSAGE_CREATED, message.id, message.orgId, thread.id, caller.subject(),
                AssistantsMapper.toEventObject(message));
        return message;
    }

    private ThreadEntity thread(String threadId, Caller caller) {
        return threads.findOwned(threadId, caller.org(), caller.project())
                .orElseThrow(() -> ApiException.notFound(null, "No thread found with id '" + threadId + "'.", null));
    }

    private MessageEntity owned(String threadId, String id, Caller caller) {
        ThreadEntity thread = thread(threadId, caller);
        return messages.findInThread(id, thread.id)
                .orElseThrow(() -> ApiException.notFound(null, "No message found with id '" + id + "'.", null));
    }
}
