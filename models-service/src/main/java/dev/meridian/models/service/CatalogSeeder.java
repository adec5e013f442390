package dev.meridian.models.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.meridian.common.events.EventTypes;
import dev.meridian.models.config.CatalogConfig;
import dev.meridian.models.entity.ModelEntry;
import dev.meridian.models.repository.ModelRepository;
import io.quarkus.runtime.StartupEvent;

/**
 * Brings the base models in the database in line with configuration at startup: new ones are
 * inserted, changed bindings updated, each with its event. Safe when several replicas start at once:
 * the insert is {@code on conflict do nothing} and only the replica that inserted publishes.
 */
@ApplicationScoped
public class CatalogSeeder {

    private static final Logger LOG = Logger.getLogger(CatalogSeeder.class);
    private static final String ACTOR = "system";

    @Inject
    CatalogConfig config;

    @Inject
    ModelRepository models;

    @Inject
    Catalog catalog;

    @Inject
    EntityManager em;

    void onStart(@Observes StartupEvent start) {
        seed();
    }

    @Transactional
    public void seed() {
        for (Map.Entry<String, CatalogConfig.BaseModel> configured : config.baseModels().entrySet()) {
            String id = configured.getKey();
            CatalogConfig.BaseModel base = configured.getValue();
            if (!config.allows(base.capability(), base.engine())) {
                throw new IllegalStateException("Base model " + id + " is bound to engine '" + base.engine()
                        + "', which cannot serve " + base.capability().wireName() + " models");
            }
            int inserted = em.createNativeQuery("""
                    insert into model (id, created, owned_by, org_id, capability, engine, upstream_model, registered_by,
                                       registered_at, upstream_base_url, upstream_credential)
                    values (?1, ?2, ?3, null, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                    on conflict (id) do nothing""")
                    .setParameter(1, id)
                    .setParameter(2, base.created())
                    .setParameter(3, base.ownedBy())
                    .setParameter(4, base.capability().wireName())
                    .setParameter(5, base.engine())
                    .setParameter(6, base.upstreamModel().orElse(null))
                    .setParameter(7, ACTOR)
                    .setParameter(8, OffsetDateTime.now(ZoneOffset.UTC))
                    .setParameter(9, base.upstreamBaseUrl().orElse(null))
                    .setParameter(10, base.upstreamCredential().orElse(null))
                    .executeUpdate();
            ModelEntry entry = models.findById(id);
            if (inserted == 1) {
                catalog.publish(EventTypes.MODEL_CREATED, entry, ACTOR);
            } else if (!entry.isBase()) {
                LOG.warnf("Base model %s is configured, but an org model already uses that id; it stays the org's", id);
            } else if (changed(entry, base)) {
                entry.capability = base.capability();
                entry.engine = base.engine();
                entry.upstreamModel = base.upstreamModel().orElse(null);
                entry.upstreamBaseUrl = base.upstreamBaseUrl().orElse(null);
                entry.upstreamCredential = base.upstreamCredential().orElse(null);
                entry.created = base.created();
                entry.ownedBy = base.ownedBy();
                catalog.publish(EventTypes.MODEL_UPDATED, entry, ACTOR);
            }
        }
    }

    private static boolean changed(ModelEntry entry, CatalogConfig.BaseModel base) {
        return entry.capability != base.capability()
                || !entry.engine.equals(base.engine())
                || !Objects.equals(entry.upstreamModel, base.upstreamModel().orElse(null))
                || !Objects.equals(entry.upstreamBaseUrl, base.upstreamBaseUrl().orElse(null))
                || !Objects.equals(entry.upstreamCredential, base.upstreamCredential().orElse(null))
                || entry.created != base.created()
                || !entry.ownedBy.equals(base.ownedBy());
    }
}
