package dev.meridian.testsupport;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for admin-service's internal answers ({@code GET /internal/v1/api_keys/self} and
 * {@code GET /internal/v1/projects/{id}/grant}), a separate deployable, for a service's own tests. Tests register
 * keys with {@link #key} and memberships with {@link #member}; {@link #LOOKUPS} counts the calls, so a test can show
 * that a known key is checked in memory.
 */
public class AdminStub implements QuarkusTestResourceLifecycleManager {

    public static final AtomicInteger LOOKUPS = new AtomicInteger();
    private static final Map<String, String> KEYS = new ConcurrentHashMap<>();
    private static final Map<String, String> MEMBERS = new ConcurrentHashMap<>();

    private HttpStub server;

    /** A key the stub vouches for, with the grant it answers. */
    public static void key(String key, String keyId, String org, String project, String ownerId, String role) {
        KEYS.put(key, "{\"key_id\":\"" + keyId + "\",\"org_id\":\"" + org + "\",\"project_id\":\"" + project
                + "\",\"owner_type\":\"service_account\",\"owner_id\":\"" + ownerId + "\",\"role\":\"" + role + "\"}");
    }

    /** An organization admin key the stub vouches for (no project; good for the administration API only). */
    public static void adminKey(String key, String keyId, String org, String ownerId) {
        KEYS.put(key, "{\"key_id\":\"" + keyId + "\",\"org_id\":\"" + org + "\",\"project_id\":null,"
                + "\"owner_type\":\"admin\",\"owner_id\":\"" + ownerId + "\",\"role\":\"owner\",\"expires_at\":null}");
    }

    /** The stub forgets a key (as admin-service would after deleting it). */
    public static void forget(String key) {
        KEYS.remove(key);
    }

    /** A user (a token's subject) who is a member of a project. */
    public static void member(String subject, String org, String project, String role) {
        MEMBERS.put(project + '/' + subject, "{\"org_id\":\"" + org + "\",\"project_id\":\"" + project + "\",\"user_id\":\""
                + subject + "\",\"role\":\"" + role + "\"}");
    }

    @Override
    public Map<String, String> start() {
        server = new HttpStub("/internal/v1/", this::handle);
        return Map.of("quarkus.rest-client.admin.url", server.url());
    }

    private void handle(HttpExchange exchange) throws IOException {
        LOOKUPS.incrementAndGet();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String credential = auth == null ? "" : auth.replaceFirst("^Bearer ", "");
        String path = exchange.getRequestURI().getPath();
        String answer = null;
        if (path.equals("/internal/v1/api_keys/self")) {
            answer = KEYS.get(credential);
        } else if (path.startsWith("/internal/v1/projects/") && path.endsWith("/grant")) {
            String project = path.substring("/internal/v1/projects/".length(), path.length() - "/grant".length());
            answer = MEMBERS.get(project + '/' + Tokens.subjectOf(credential));
        }
        if (answer == null) {
            HttpStub.respond(exchange, 404, HttpStub.error("not found", "invalid_request_error", null, null));
        } else {
            HttpStub.respond(exchange, 200, answer);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
