package dev.meridian.models.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.models.api.RegisterModelRequest;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.events.CloudEvent;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.events.Topics;
import dev.meridian.common.security.Caller;
import dev.meridian.common.security.Roles;
import dev.meridian.models.config.CatalogConfig;
import dev.meridian.models.entity.ModelEntry;
import dev.meridian.models.mapping.ModelMapper;
import dev.meridian.models.repository.ModelRepository;
import dev.meridian.outbox.EventOutbox;

/**
 * The catalog's rules: who sees which model, who may register or delete one, and the event every
 * change emits (written in the same transaction as the change).
 */
@ApplicationScoped
public class Catalog {

    public static final String EVENT_SOURCE = "/meridian/models-service";

    @Inject
    ModelRepository models;

    @Inject
    EventOutbox outbox;

    @Inject
    CatalogConfig config;

    @Inject
    CatalogView view;

    @Inject
    TransactionSynchronizationRegistry transactions;

    /** Base models plus the caller's project's own, oldest first: from memory ({@link CatalogView}). */
    public List<CatalogModel> visibleTo(Caller caller) {
        return view.visibleTo(caller.org(), caller.project());
    }

    /**
     * The same as {@link #visibleTo}, when it can be answered without waiting: the caller's project needs no membership
     * check and its models are in memory. Empty otherwise.
     */
    public Optional<List<CatalogModel>> visibleInMemory(Caller caller) {
        return caller.projectNeedsLookup() ? Optional.empty() : view.inMemory(caller.org(), caller.project());
    }

    public CatalogModel get(String id, Caller caller) {
        return view.find(id, caller.org(), caller.project()).orElseThrow(() -> notFound(id));
    }

    @Transactional
    public ModelEntry register(RegisterModelRequest request, Caller caller) {
        caller.requireRole(Roles.OWNER, "registering a model");
        String org = caller.org();
        if (!config.allows(request.capability(), request.engine())) {
            throw ApiException.invalid("engine", "Invalid 'engine': '" + request.engine() + "' cannot serve "
                    + request.capability().wireName() + " models. Expected one of "
                    + config.engines().getOrDefault(request.capability().wireName(), List.of()) + ".");
        }
        boolean upstream = "openai-compatible".equals(request.engine());
        if (!upstream && request.upstreamBaseUrl() != null) {
            throw ApiException.invalid("upstream_base_url", "Invalid 'upstream_base_url': only models bound to the"
                    + " 'openai-compatible' engine have an upstream.");
        }
        if (!upstream && request.upstreamCredential() != null) {
            throw ApiException.invalid("upstream_credential", "Invalid 'upstream_credential': only models bound to the"
                    + " 'openai-compatible' engine have an upstream.");
        }
        if (models.findByIdOptional(request.id()).isPresent()) {
            throw ApiException.conflict("id", "A model with id '" + request.id() + "' already exists.", "model_exists");
        }
        ModelEntry entry = new ModelEntry();
        entry.id = request.id();
        entry.created = Instant.now().getEpochSecond();
        entry.ownedBy = org;
        entry.orgId = org;
        entry.projectId = caller.project();
        entry.capability = request.capability();
        entry.engine = request.engine();
        entry.upstreamModel = request.upstreamModel();
        entry.upstreamBaseUrl = request.upstreamBaseUrl();
        entry.upstreamCredential = request.upstreamCredential();
        entry.registeredBy = caller.subject();
        entry.registeredAt = OffsetDateTime.now(ZoneOffset.UTC);
        models.persist(entry);
        publish(EventTypes.MODEL_CREATED, entry, caller.subject());
        return entry;
    }

    /**
     * Deletes a fine-tuned model of the caller's org. Another org's model is reported as missing, so
     * its existence does not leak; base models cannot be deleted by anyone.
     */
    @Transactional
    public ModelEntry delete(String id, Caller caller) {
        ModelEntry entry = models.findVisible(id, caller.org(), caller.project()).orElseThrow(() -> notFound(id));
        if (entry.isBase()) {
            throw ApiException.forbidden("You cannot delete '" + id + "': only fine-tuned models can be deleted,"
                    + " and this is a base model of the platform.");
        }
        caller.requireRole(Roles.OWNER, "deleting a model");
        models.delete(entry);
        publish(EventTypes.MODEL_DELETED, entry, caller.subject());
        return entry;
    }

    /** Emits the change's event in this transaction; this replica's view forgets the project once it commits. */
    void publish(String type, ModelEntry entry, String actor) {
        String org = entry.orgId;
        String project = entry.projectId;
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                view.forget(org, project);
            }
        });
        outbox.publish(Topics.MODELS, CloudEvent.of(EVENT_SOURCE, type, entry.id, ModelMapper.toEvent(entry, actor)));
    }

    static ApiException notFound(String id) {
        return ApiException.notFound("model", "The model '" + id + "' does not exist or you do not have access to it.",
                "model_not_found");
    }
}
