package dev.meridian.moderation.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.meridian.catalog.ModelCatalog;
import dev.meridian.common.api.models.Capability;
import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.error.ErrorType;
import dev.meridian.common.events.CloudEvent;
import dev.meridian.common.events.Digests;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.events.ModerationCompletedData;
import dev.meridian.common.events.Topics;
import dev.meridian.common.id.Ids;
import dev.meridian.common.security.Caller;
import dev.meridian.moderation.config.ModerationConfig;
import dev.meridian.moderation.engine.ModerationEngine;
import dev.meridian.moderation.engine.ModerationInput;
import dev.meridian.moderation.engine.ModerationBatch;
import dev.meridian.moderation.engine.Taxonomy;
import dev.meridian.outbox.EventOutbox;
import dev.meridian.ratelimit.RateLimiter;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * One moderation request: parse, check the model in the catalog, fetch and check images, classify with the model's
 * engine, and record {@code meridian.moderation.completed} in the outbox before answering.
 */
@ApplicationScoped
public class Moderations {

    public static final String EVENT_SOURCE = "/meridian/moderation-service";

    @Inject
    RequestParser parser;

    @Inject
    ModelCatalog catalog;

    @Inject
    ImageInputs images;

    @Inject
    Instance<ModerationEngine> engines;

    @Inject
    EventOutbox outbox;

    @Inject
    ModerationConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    RateLimiter limiter;

    public ModerationResponse moderate(JsonNode body, Caller caller) {
        ModerationBatch parsed = parser.parse(body);
        CatalogModel model = catalog.require(parsed.model(), Capability.MODERATION, "Moderations API", caller, 404);
        long textTokens = parsed.inputs().stream().flatMap(input -> input.parts().stream())
                .mapToLong(part -> part instanceof ModerationInput.Text text ? RateLimiter.estimateTokens(text.text()) : 0).sum();
        limiter.admit(caller, model.id(), Capability.MODERATION.wireName(), 0, textTokens);
        Taxonomy taxonomy = Taxonomy.of(model.upstreamModel() != null ? model.upstreamModel() : model.id());
        List<ModerationInput> inputs = new ArrayList<>();
        for (ModerationInput input : parsed.inputs()) {
            if (input.hasImage() && !taxonomy.acceptsImages()) {
                throw ApiException.invalid(input.images().get(0).param(), "The model '" + parsed.model()
                        + "' classifies text only; send images to an omni-moderation model.", "invalid_input_type");
            }
            inputs.add(new ModerationInput(input.param(), input.parts().stream()
                    .map(p -> p instanceof ModerationInput.Image image ? images.resolve(image) : p).toList()));
        }
        ModerationBatch resolved = new ModerationBatch(parsed.model(), inputs, parsed.multimodal());
        List<ModerationResponse.Result> results = engine(model).moderate(model, taxonomy, resolved);
        ModerationResponse response = new ModerationResponse(Ids.next("modr", '-'), parsed.model(), results);
        ModerationCompletedData event = event(response, caller.org(), inputs);
        QuarkusTransaction.requiringNew().run(() -> outbox.publish(Topics.MODERATIONS,
                CloudEvent.of(EVENT_SOURCE, EventTypes.MODERATION_COMPLETED, response.id(), event)));
        count(model.id(), results);
        return response;
    }

    /**
     * {@code meridian.moderation.results} by model and verdict, and {@code meridian.moderation.flags} by model and
     * category: what share of the traffic each category flags. The model is one the catalog knows, so the tags stay
     * few.
     */
    private void count(String model, List<ModerationResponse.Result> results) {
        for (ModerationResponse.Result result : results) {
            registry.counter("meridian.moderation.results", "model", model, "flagged", String.valueOf(result.flagged()))
                    .increment();
            result.categories().forEach((category, flagged) -> {
                if (Boolean.TRUE.equals(flagged)) {
                    registry.counter("meridian.moderation.flags", "model", model, "category", category).increment();
                }
            });
        }
    }

    private ModerationEngine engine(CatalogModel model) {
        for (ModerationEngine engine : engines) {
            if (engine.name().equals(model.engine())) {
                return engine;
            }
        }
        throw new ApiException(503, ErrorType.SERVER, "The model '" + model.id() + "' is bound to the engine '"
                + model.engine() + "', which this server does not run.", null, null);
    }

    private ModerationCompletedData event(ModerationResponse response, String org, List<ModerationInput> inputs) {
        List<String> flagged = new ArrayList<>();
        for (String category : Taxonomy.ALL) {
            if (response.results().stream().anyMatch(r -> Boolean.TRUE.equals(r.categories().get(category)))) {
                flagged.add(category);
            }
        }
        boolean content = config.events().includeContent();
        List<ModerationCompletedData.Input> digests = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            for (ModerationInput.Part p : inputs.get(i).parts()) {
                if (p instanceof ModerationInput.Text t) {
                    digests.add(new ModerationCompletedData.Input(i, "text",
                            Digests.sha256(t.text()), t.text().length(), content ? t.text() : null));
                } else if (p instanceof ModerationInput.Image image) {
                    digests.add(new ModerationCompletedData.Input(i, "image", Digests.sha256(image.bytes()), null, null));
                }
            }
        }
        return new ModerationCompletedData(response.id(), org, response.model(), response.flagged(), flagged, digests);
    }

}
