package dev.meridian.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for moderation-service ({@code POST /v1/moderations}) in other services' tests: a text input
 * containing {@link #FLAGGED_MARKER} is flagged as violence, an image input ({@code data:} URL) whose bytes
 * contain it is flagged as sexual, anything else passes; {@link #DOWN} makes it fail, and {@link #TEXT_ONLY} makes it
 * refuse image inputs as moderation-service refuses them for a text-only model (400), and {@link #UNKNOWN_MODEL} makes
 * it refuse every input as moderation-service refuses a model its catalog lacks (404). Request bodies are kept in
 * {@link #REQUESTS} for assertions.
 */
public class ModerationStub implements QuarkusTestResourceLifecycleManager {

    public static final String FLAGGED_MARKER = "FLAG-ME";
    public static final AtomicBoolean DOWN = new AtomicBoolean();
    public static final AtomicBoolean TEXT_ONLY = new AtomicBoolean();
    public static final String TEXT_ONLY_MESSAGE = "The model 'text-moderation-latest' classifies text only; send images"
            + " to an omni-moderation model.";
    public static final AtomicBoolean UNKNOWN_MODEL = new AtomicBoolean();
    public static final String UNKNOWN_MODEL_MESSAGE = "The requested model 'omni-moderation-latest' does not exist.";
    public static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

    private static final Pattern DATA_URL = Pattern.compile("\"url\"\\s*:\\s*\"data:[^;]+;base64,([A-Za-z0-9+/=]+)\"");

    private HttpStub server;

    @Override
    public Map<String, String> start() {
        server = new HttpStub("/v1/moderations", this::handle);
        return Map.of("quarkus.rest-client.moderation.url", server.url());
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (DOWN.get()) {
            HttpStub.respond(exchange, 503, HttpStub.error("down", "server_error", null, null));
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        REQUESTS.add(body);
        if (UNKNOWN_MODEL.get()) {
            HttpStub.respond(exchange, 404, HttpStub.error(UNKNOWN_MODEL_MESSAGE, "invalid_request_error", "model",
                    "model_not_found"));
            return;
        }
        Matcher image = DATA_URL.matcher(body);
        boolean flagged;
        String category;
        String type;
        if (image.find()) {
            if (TEXT_ONLY.get()) {
                HttpStub.respond(exchange, 400, HttpStub.error(TEXT_ONLY_MESSAGE, "invalid_request_error",
                        "input[0].image_url.url", "invalid_input_type"));
                return;
            }
            byte[] bytes = Base64.getDecoder().decode(image.group(1));
            flagged = new String(bytes, StandardCharsets.ISO_8859_1).contains(FLAGGED_MARKER);
            category = "sexual";
            type = "image";
        } else {
            flagged = body.contains(FLAGGED_MARKER);
            category = "violence";
            type = "text";
        }
        HttpStub.respond(exchange, 200, "{\"id\":\"modr-stub\",\"model\":\"omni-moderation-latest\",\"results\":[{"
                + "\"flagged\":" + flagged + ",\"categories\":{\"" + category + "\":" + flagged + "},"
                + "\"category_scores\":{\"" + category + "\":" + (flagged ? "0.97" : "0.01") + "},"
                + "\"category_applied_input_types\":{\"" + category + "\":[\"" + type + "\"]}}]}");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
