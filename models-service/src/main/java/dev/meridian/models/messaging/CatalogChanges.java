package dev.meridian.models.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.common.events.ModelEventData;
import dev.meridian.models.service.CatalogView;
import io.smallrye.common.annotation.Blocking;

/**
 * The catalog's own {@code meridian.models} events, read by every replica (a consumer group of its own each, from the
 * latest offset: a replica that starts later has nothing to forget), so a change made on one replica is seen on all
 * of them as soon as its event arrives.
 */
@ApplicationScoped
public class CatalogChanges {

    private static final Logger LOG = Logger.getLogger(CatalogChanges.class);

    @Inject
    CatalogView view;

    @Inject
    ObjectMapper json;

    /**
     * On a worker thread, as every consumer here: forgetting a project's view waits for a load of that view in flight
     * (a database query), which must not hold up a Vert.x event loop.
     */
    @Incoming("catalog-changes")
    @Blocking
    public CompletionStage<Void> onEvent(Message<String> message) {
        try {
            ModelEventData model = json.readValue(message.getPayload(), ModelEventData.class);
            view.forget(model.orgId(), model.projectId());
        } catch (JsonProcessingException e) {
            // which project it concerns cannot be read: forgetting all of them is always correct
            LOG.warnf("Unreadable catalog event, every project's view forgotten: %s", e.getOriginalMessage());
            view.forget(null, null);
        }
        return message.ack();
    }
}
