package dev.meridian.assistants;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for models-service's catalog API ({@code GET /admin/v1/models/{id}}), which is its own
 * deployable: chat models gpt-4o and gpt-4o-mini, an image model dall-e-3, 404 for anything else.
 * It insists on the caller's bearer token being passed on, and can be switched off to act as an outage.
 */
public class CatalogStub implements QuarkusTestResourceLifecycleManager {

    static final AtomicBoolean DOWN = new AtomicBoolean();
    private static final Map<String, String> MODELS = Map.of(
            "gpt-4o", entry("gpt-4o", "chat"),
            "gpt-4o-mini", entry("gpt-4o-mini", "chat"),
            "dall-e-3", entry("dall-e-3", "image"));

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/admin/v1/models/", this::handle);
            server.start();
            return Map.of("quarkus.rest-client.models.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "quarkus.cache.caffeine.catalog-models.expire-after-write", "0S");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (DOWN.get()) {
            respond(exchange, 503, "{\"error\":{\"message\":\"down\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
            return;
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ey")) {
            respond(exchange, 401, "{\"error\":{\"message\":\"no token\",\"type\":\"invalid_request_error\",\"param\":null,"
                    + "\"code\":\"invalid_api_key\"}}");
            return;
        }
        String id = exchange.getRequestURI().getPath().substring("/admin/v1/models/".length());
        String body = MODELS.get(id);
        if (body == null) {
            respond(exchange, 404, "{\"error\":{\"message\":\"no such model\",\"type\":\"invalid_request_error\","
                    + "\"param\":\"model\",\"code\":\"model_not_found\"}}");
        } else {
            respond(exchange, 200, body);
        }
    }

    private static String entry(String id, String capability) {
        return "{\"id\":\"" + id + "\",\"object\":\"catalog.model\",\"created\":1715367049,\"owned_by\":\"system\","
                + "\"org_id\":null,\"capability\":\"" + capability + "\",\"engine\":\"builtin\",\"upstream_model\":null}";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
