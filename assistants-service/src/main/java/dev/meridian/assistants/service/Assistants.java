package dev.meridian.assistants.service;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.meridian.assistants.entity.AssistantEntity;
import dev.meridian.assistants.mapping.AssistantsMapper;
import dev.meridian.assistants.repository.AssistantRepository;
import dev.meridian.catalog.ModelCatalog;
import dev.meridian.common.api.ListResponse;
import dev.meridian.assistants.api.AssistantObject;
import dev.meridian.assistants.api.AssistantRequest;
import dev.meridian.common.api.models.Capability;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.id.Ids;
import dev.meridian.common.page.Page;
import dev.meridian.common.page.PageRequest;
import dev.meridian.common.security.Caller;

/** Assistants of the caller's org: create, list, read, modify only what was sent, delete. */
@ApplicationScoped
public class Assistants {

    @Inject
    AssistantRepository assistants;

    @Inject
    RequestRules rules;

    @Inject
    ModelCatalog catalog;

    @Inject
    AssistantsEvents events;

    @Inject
    ReadOnly readOnly;

    @Transactional
    public AssistantObject create(ObjectNode body, Caller caller) throws JsonProcessingException {
        AssistantRequest request = rules.read(body, AssistantRequest.class);
        if (request.model() == null || request.model().isBlank()) {
            throw ApiException.invalid("model", "Missing required parameter: 'model'.");
        }
        checkShared(request);
        requireChatModel(request.model(), caller);

        AssistantEntity entity = new AssistantEntity();
        entity.id = Ids.next("asst");
        entity.orgId = caller.org();
        entity.projectId = caller.project();
        entity.createdAt = Instant.now().getEpochSecond();
        entity.model = request.model();
        entity.name = request.name();
        entity.description = request.description();
        entity.instructions = request.instructions();
        entity.tools = request.tools() == null ? List.of() : request.tools();
        entity.toolResources = request.toolResources();
        entity.metadata = request.metadata() == null ? Map.of() : request.metadata();
        // null or absent: the default (a Double, so a null is never unboxed)
        entity.temperature = body.hasNonNull("temperature") ? request.temperature() : Double.valueOf(1.0);
        entity.topP = body.hasNonNull("top_p") ? request.topP() : Double.valueOf(1.0);
        entity.responseFormat = request.responseFormat() == null ? TextNode.valueOf("auto") : request.responseFormat();
        assistants.persist(entity);

        AssistantObject created = AssistantsMapper.toObject(entity);
        events.publish(EventTypes.ASSISTANT_CREATED, entity.id, entity.orgId, null, caller.subject(), created);
        return created;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ListResponse<AssistantObject> list(PageRequest request, Caller caller) {
        readOnly.session();
        String org = caller.org();
        AssistantEntity cursor = request.cursor() == null ? null
                : assistants.findOwned(request.cursor(), org, caller.project()).orElseThrow(() -> badCursor(request));
        return Page.of(request, assistants.page(org, caller.project(), request, cursor).stream().map(AssistantsMapper::toObject).toList(),
                AssistantObject::id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public AssistantObject get(String id, Caller caller) {
        readOnly.session();
        return AssistantsMapper.toObject(owned(id, caller));
    }

    /** Changes exactly the fields present in the body; a field sent as null is cleared. */
    @Transactional
    public AssistantObject modify(String id, ObjectNode body, Caller caller) throws JsonProcessingException {
        AssistantEntity entity = owned(id, caller);
        AssistantRequest request = rules.read(body, AssistantRequest.class);
        checkShared(request);
        if (body.has("model")) {
            if (request.model() == null || request.model().isBlank()) {
                throw ApiException.invalid("model", "Invalid 'model': an assistant needs a model; it cannot be cleared.");
            }
            requireChatModel(request.model(), caller);
            entity.model = request.model();
        }
        if (body.has("name")) {
            entity.name = request.name();
        }
        if (body.has("description")) {
            entity.description = request.description();
        }
        if (body.has("instructions")) {
            entity.instructions = request.instructions();
        }
        if (body.has("tools")) {
            entity.tools = request.tools() == null ? List.of() : request.tools();
        }
        if (body.has("tool_resources")) {
            entity.toolResources = request.toolResources();
        }
        if (body.has("metadata")) {
            entity.metadata = request.metadata() == null ? Map.of() : new HashMap<>(request.metadata());
        }
        if (body.has("temperature")) {
            entity.temperature = request.temperature();
        }
        if (body.has("top_p")) {
            entity.topP = request.topP();
        }
        if (body.has("response_format")) {
            entity.responseFormat = request.responseFormat() == null || request.responseFormat().isNull()
                    ? TextNode.valueOf("auto")
                    : request.responseFormat();
        }
        AssistantObject modified = AssistantsMapper.toObject(entity);
        events.publish(EventTypes.ASSISTANT_MODIFIED, entity.id, entity.orgId, null, caller.subject(), modified);
        return modified;
    }

    @Transactional
    public String delete(String id, Caller caller) {
        AssistantEntity entity = owned(id, caller);
        assistants.delete(entity);
        events.publish(EventTypes.ASSISTANT_DELETED, entity.id, entity.orgId, null, caller.subject(), null);
        return entity.id;
    }

    private AssistantEntity owned(String id, Caller caller) {
        return assistants.findOwned(id, caller.org(), caller.project())
                .orElseThrow(() -> ApiException.notFound(null, "No assistant found with id '" + id + "'.", null));
    }

    private static void checkShared(AssistantRequest request) {
        RequestRules.tools(request.tools());
        RequestRules.toolResources(request.toolResources());
        RequestRules.metadata(request.metadata(), "metadata");
        RequestRules.responseFormat(request.responseFormat());
    }

    private void requireChatModel(String model, Caller caller) {
        catalog.require(model, Capability.CHAT, "Assistants API", caller);
    }

    static ApiException badCursor(PageRequest request) {
        String param = request.after() != null ? "after" : "before";
        return ApiException.invalid(param, "Invalid '" + param + "': no object with id '" + request.cursor()
                + "' to page from.");
    }
}
