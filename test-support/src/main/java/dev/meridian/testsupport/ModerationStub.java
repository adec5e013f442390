package dev.meridian.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpExchange;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for moderation-service ({@code POST /v1/moderations}) in other services' tests: an input
 * containing {@link #FLAGGED_MARKER} is flagged as violence, anything else passes; {@link #DOWN}
 * makes it fail. Request bodies are kept in {@link #REQUESTS} for assertions.
 */
public class ModerationStub implements QuarkusTestResourceLifecycleManager {

    public static final String FLAGGED_MARKER = "FLAG-ME";
    public static final AtomicBoolean DOWN = new AtomicBoolean();
    public static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

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
        boolean flagged = body.contains(FLAGGED_MARKER);
        HttpStub.respond(exchange, 200, "{\"id\":\"modr-stub\",\"model\":\"omni-moderation-latest\",\"results\":[{"
                + "\"flagged\":" + flagged + ",\"categories\":{\"violence\":" + flagged + "},"
                + "\"category_scores\":{\"violence\":" + (flagged ? "0.97" : "0.01") + "},"
                + "\"category_applied_input_types\":{\"violence\":[\"text\"]}}]}");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
