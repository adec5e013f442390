package dev.meridian.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for models-service's catalog API ({@code GET /admin/v1/models/{id}}), a separate
 * deployable, for a service's own tests. The models come from {@code catalog-stub.properties} on the
 * test classpath, one per line: {@code id=capability,engine[,upstream_model[,upstream_base_url[,upstream_credential]]]}
 * (an empty field is null). The stub insists on the caller's bearer credential (a token or an sk- key) being passed
 * on, answers 404 for other ids; {@link #down} makes it fail, {@link #refusing} refuse every credential.
 */
public class CatalogStub implements QuarkusTestResourceLifecycleManager {

    private static final String MODELS = "/admin/v1/models/";
    private static final UUID DOWN = UUID.randomUUID();
    private static final UUID REFUSING = UUID.randomUUID();

    private static volatile WireMockServer server;

    /** While down, every lookup gets a 503. */
    public static void down(boolean down) {
        Stubs.toggle(server, down, DOWN, 1, get(urlPathMatching(MODELS + ".*")),
                Stubs.error(503, "down", "server_error", null, null));
    }

    /** While refusing, every lookup gets a 401, as when models-service does not accept the credential passed on. */
    public static void refusing(boolean refusing) {
        Stubs.toggle(server, refusing, REFUSING, 1, get(urlPathMatching(MODELS + ".*")),
                Stubs.error(401, "Incorrect API key provided.", "invalid_request_error", null, "invalid_api_key"));
    }

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
        server = Stubs.start();
        entries.forEach((id, spec) -> {
            String[] parts = spec.toString().split(",");
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("id", id);
            model.put("object", "catalog.model");
            model.put("created", 1698798177);
            model.put("owned_by", "system");
            model.put("org_id", null);
            model.put("capability", parts[0].trim());
            model.put("engine", parts[1].trim());
            model.put("upstream_model", field(parts, 2));
            model.put("upstream_base_url", field(parts, 3));
            model.put("upstream_credential", field(parts, 4));
            server.stubFor(get(urlPathEqualTo(MODELS + id)).atPriority(5)
                    .withHeader("Authorization", Stubs.CALLER_CREDENTIAL).willReturn(Stubs.json(200, model)));
        });
        server.stubFor(get(urlPathMatching(MODELS + ".*")).atPriority(7).withHeader("Authorization",
                Stubs.CALLER_CREDENTIAL).willReturn(Stubs.error(404, "no such model", "invalid_request_error", "model",
                        "model_not_found")));
        server.stubFor(get(urlPathMatching(MODELS + ".*")).atPriority(9)
                .willReturn(Stubs.noCredential()));
        return Map.of("quarkus.rest-client.models.url", Stubs.url(server),
                "quarkus.cache.caffeine.catalog-models.expire-after-write", "0S");
    }

    private static String field(String[] parts, int index) {
        return parts.length > index && !parts[index].isBlank() ? parts[index].trim() : null;
    }

    @Override
    public void stop() {
        Stubs.stop(server);
    }
}
