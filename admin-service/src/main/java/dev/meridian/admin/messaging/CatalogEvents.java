package dev.meridian.admin.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.admin.entity.CatalogModelEntity;
import dev.meridian.admin.repository.RateLimitRepository;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.events.ModelEventData;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * Keeps admin-service's copy of the model catalog from {@code meridian.models}: the models each project has rate
 * limits for. Applying an event twice leaves the same row, so redeliveries are harmless.
 */
@ApplicationScoped
public class CatalogEvents {

    private static final Logger LOG = Logger.getLogger(CatalogEvents.class);

    @Inject
    RateLimitRepository limits;

    @Inject
    ObjectMapper json;

    @Incoming("catalog-events")
    @Blocking
    public CompletionStage<Void> onEvent(Message<String> message) {
        IncomingCloudEventMetadata<?> event = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (event != null) {
            ModelEventData model;
            try {
                model = json.readValue(message.getPayload(), ModelEventData.class);
            } catch (JsonProcessingException e) {
                LOG.errorf("Ignoring unreadable catalog event %s: %s", event.getId(), e.getOriginalMessage());
                return message.ack();
            }
            try {
                QuarkusTransaction.requiringNew().run(() -> apply(event.getType(), model));
            } catch (RuntimeException e) {
                // the database away: nack, so the channel stops and the event is read again after a restart
                return message.nack(e);
            }
        }
        return message.ack();
    }

    private void apply(String type, ModelEventData model) {
        if (EventTypes.MODEL_DELETED.equals(type)) {
            limits.catalogModel(model.id()).ifPresent(row -> limits.getEntityManager().remove(row));
            return;
        }
        CatalogModelEntity row = limits.catalogModel(model.id()).orElseGet(CatalogModelEntity::new);
        row.id = model.id();
        row.orgId = model.orgId();
        row.projectId = model.projectId();
        row.capability = model.capability().wireName();
        row.created = model.created();
        limits.getEntityManager().merge(row);
    }
}
