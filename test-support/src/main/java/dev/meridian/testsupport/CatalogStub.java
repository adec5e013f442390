package dev.meridian.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpExchange;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for models-service's catalog API ({@code GET /admin/v1/models/{id}}), a separate
 * deployable, for a service's own tests. The models come from {@code catalog-stub.properties} on the
 * test classpath, one per line: {@code id=capability,engine[,upstream_model[,upstream_base_url[,upstream_credential]]]}
 * (an empty field is null). The stub insists on the
 * caller's bearer credential (a token or an sk- key) being passed on, answers 404 for other ids, and {@link #DOWN} makes it fail.
 */
public class CatalogStub implements QuarkusTestResourceLifecycleManager {

    public static final AtomicBoolean DOWN = new AtomicBoolean();

    private HttpStub server;
    private final Map<String, String> models = new HashMap<>();

    @Override
    public Map<String, String> start() {
        Properties entries = new Properties();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("catalog-stub.properties")) {
            if (in == null) {
                throw new IllegalStateException("catalog-stub.properties is missing from the test classpath");
            }
            entries.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.forEach((id, spec) -> {
            String[] parts = spec.toString().split(",");
            models.put(id.toString(), "{\"id\":\"" + id + "\",\"object\":\"catalog.model\",\"created\":1698798177,"
                    + "\"owned_by\":\"system\",\"org_id\":null,\"capability\":\"" + parts[0].trim() + "\",\"engine\":\""
                    + parts[1].trim() + "\",\"upstream_model\":" + field(parts, 2) + ",\"upstream_base_url\":"
                    + field(parts, 3) + ",\"upstream_credential\":" + field(parts, 4) + "}");
        });
        server = new HttpStub("/admin/v1/models/", this::handle);
        return Map.of("quarkus.rest-client.models.url", server.url(),
                "quarkus.cache.caffeine.catalog-models.expire-after-write", "0S");
    }

    private static String field(String[] parts, int index) {
        return parts.length > index && !parts[index].isBlank() ? "\"" + parts[index].trim() + "\"" : "null";
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (DOWN.get()) {
            HttpStub.respond(exchange, 503, HttpStub.error("down", "server_error", null, null));
            return;
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !(auth.startsWith("Bearer ey") || auth.startsWith("Bearer sk-"))) {
            HttpStub.respond(exchange, 401, HttpStub.error("no token", "invalid_request_error", null, "invalid_api_key"));
            return;
        }
        String body = models.get(exchange.getRequestURI().getPath().substring("/admin/v1/models/".length()));
        if (body == null) {
            HttpStub.respond(exchange, 404, HttpStub.error("no such model", "invalid_request_error", "model", "model_not_found"));
        } else {
            HttpStub.respond(exchange, 200, body);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
