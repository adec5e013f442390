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
    private static final Map<String, int[]> LIMITS = new ConcurrentHashMap<>();
    /** Requests, tokens and images a minute for any project and model no test set limits for. */
    private static final int[] GENEROUS = { 1_000_000, 100_000_000, 1_000_000, -1 };

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

    /** A project's limits for a model: requests, tokens and images a minute. */
    public static void limits(String project, String model, int requestsPerMinute, int tokensPerMinute, int imagesPerMinute) {
        LIMITS.put(project + '/' + model, new int[] { requestsPerMinute, tokensPerMinute, imagesPerMinute, -1 });
    }

    /** The same with a limit of requests a day. */
    public static void limits(String project, String model, int requestsPerMinute, int tokensPerMinute, int imagesPerMinute,
            int requestsPerDay) {
        LIMITS.put(project + '/' + model, new int[] { requestsPerMinute, tokensPerMinute, imagesPerMinute, requestsPerDay });
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
        } else if (path.startsWith("/internal/v1/rate_limits/")) {
            String model = java.net.URLDecoder.decode(path.substring("/internal/v1/rate_limits/".length()),
                    java.nio.charset.StandardCharsets.UTF_8);
            String project = exchange.getRequestHeaders().getFirst("OpenAI-Project");
            int[] limits = LIMITS.getOrDefault(project + '/' + model, GENEROUS);
            answer = "{\"project_id\":\"" + project + "\",\"model\":\"" + model + "\",\"max_requests_per_1_minute\":" + limits[0]
                    + ",\"max_tokens_per_1_minute\":" + limits[1] + ",\"max_images_per_1_minute\":" + limits[2]
                    + ",\"max_audio_megabytes_per_1_minute\":null,\"max_requests_per_1_day\":"
                    + (limits[3] < 0 ? "null" : Integer.toString(limits[3])) + ","
                    + "\"batch_1_day_max_input_tokens\":null}";
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
