package dev.meridian.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for moderation-service ({@code POST /v1/moderations}) in other services' tests: a text input
 * containing {@link #FLAGGED_MARKER} is flagged as violence, an image input ({@code data:} URL) whose bytes
 * contain it is flagged as sexual, anything else passes; {@link #down} makes it fail, {@link #textOnly} makes it
 * refuse image inputs as moderation-service refuses them for a text-only model (400), and {@link #unknownModel} makes
 * it refuse every input as moderation-service refuses a model its catalog lacks (404). {@link #requests} are the
 * bodies it received. It answers only requests that carry the caller's credential ({@link Stubs#CALLER_CREDENTIAL}).
 */
public class ModerationStub implements QuarkusTestResourceLifecycleManager {

    public static final String FLAGGED_MARKER = "FLAG-ME";
    public static final String TEXT_ONLY_MESSAGE = "The model 'text-moderation-latest' classifies text only; send images"
            + " to an omni-moderation model.";
    public static final String UNKNOWN_MODEL_MESSAGE = "The requested model 'omni-moderation-latest' does not exist.";

    private static final String PATH = "/v1/moderations";
    private static final UUID DOWN = UUID.randomUUID();
    private static final UUID UNKNOWN_MODEL = UUID.randomUUID();
    private static final UUID TEXT_ONLY = UUID.randomUUID();

    /** The response transformer that computes this stand-in's answer from the request. */
    private static final String VERDICTS = "moderation-verdicts";

    private static volatile WireMockServer server;

    /** While down, every request gets a 503. */
    public static void down(boolean down) {
        toggle(down, DOWN, 1, moderation(), Stubs.error(503, "down", "server_error", null, null));
    }

    /** While on, every request is refused as for a model the catalog lacks. */
    public static void unknownModel(boolean on) {
        toggle(on, UNKNOWN_MODEL, 2, moderation(), Stubs.error(404, UNKNOWN_MODEL_MESSAGE, "invalid_request_error",
                "model", "model_not_found"));
    }

    /** While on, a request with an image input is refused as by a text-only model. */
    public static void textOnly(boolean on) {
        toggle(on, TEXT_ONLY, 3, moderation().withRequestBody(matchingJsonPath("$.input[?(@.type == 'image_url')]")),
                Stubs.error(400, TEXT_ONLY_MESSAGE, "invalid_request_error", "input[0].image_url.url", "invalid_input_type"));
    }

    /** The bodies of the moderation requests received since {@link #clearRequests}, oldest first. */
    public static List<String> requests() {
        return Stubs.bodies(server, PATH);
    }

    public static void clearRequests() {
        server.resetRequests();
    }

    private static MappingBuilder moderation() {
        return post(urlPathEqualTo(PATH));
    }

    private static void toggle(boolean on, UUID id, int priority, MappingBuilder request, ResponseDefinitionBuilder answer) {
        Stubs.toggle(server, on, id, priority, request, answer);
    }

    @Override
    public Map<String, String> start() {
        server = Stubs.start(Stubs.answering(VERDICTS, ModerationStub::verdict));
        server.stubFor(moderation().atPriority(5).withHeader("Authorization", Stubs.CALLER_CREDENTIAL)
                .willReturn(aResponse().withTransformers(VERDICTS)));
        server.stubFor(moderation().atPriority(9).willReturn(Stubs.noCredential()));
        return Map.of("quarkus.rest-client.moderation.url", Stubs.url(server));
    }

    @Override
    public void stop() {
        Stubs.stop(server);
    }

    /** The verdict on the request's one input: flagged when the text, or the image's bytes, hold the marker. */
    private static ResponseDefinition verdict(ServeEvent event) {
        JsonNode input;
        try {
            input = Stubs.JSON.readTree(event.getRequest().getBodyAsString()).path("input");
        } catch (java.io.IOException e) {
            return Stubs.error(400, "We could not parse the JSON body of your request.", "invalid_request_error", null,
                    null).build();
        }
        String url = input.path(0).path("image_url").path("url").asText("");
        boolean image = url.startsWith("data:");
        boolean flagged = image
                ? new String(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1)), StandardCharsets.ISO_8859_1)
                        .contains(FLAGGED_MARKER)
                : input.toString().contains(FLAGGED_MARKER);
        String category = image ? "sexual" : "violence";
        Map<String, Object> result = Map.of("flagged", flagged, "categories", Map.of(category, flagged),
                "category_scores", Map.of(category, flagged ? 0.97 : 0.01),
                "category_applied_input_types", Map.of(category, List.of(image ? "image" : "text")));
        return Stubs.json(200, Map.of("id", "modr-stub", "model", "omni-moderation-latest", "results", List.of(result)))
                .build();
    }
}
