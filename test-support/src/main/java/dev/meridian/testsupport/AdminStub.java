package dev.meridian.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for admin-service's internal answers ({@code GET /internal/v1/api_keys/self},
 * {@code GET /internal/v1/projects/{id}/grant} and {@code GET /internal/v1/rate_limits/{model}}), a separate deployable,
 * for a service's own tests. Tests register keys with {@link #key}, memberships with {@link #member} and limits with
 * {@link #limits}; {@link #lookups} counts the calls, so a test can show that a known key is checked in memory.
 */
public class AdminStub implements QuarkusTestResourceLifecycleManager {

    private static final String INTERNAL = "/internal/v1/";
    private static final String RATE_LIMITS = INTERNAL + "rate_limits/";
    /** Requests, tokens and images a minute for any project and model no test set limits for. */
    private static final int[] GENEROUS = { 1_000_000, 100_000_000, 1_000_000, -1 };

    /** The response transformer that computes this stand-in's answer from the request. */
    private static final String GENEROUS_LIMITS = "generous-limits";

    private static volatile WireMockServer server;

    /** A key the stub vouches for, with the grant it answers. */
    public static void key(String key, String keyId, String org, String project, String ownerId, String role) {
        vouch(key, grant(keyId, org, project, "service_account", ownerId, role));
    }

    /** An organization admin key the stub vouches for (no project; good for the administration API only). */
    public static void adminKey(String key, String keyId, String org, String ownerId) {
        vouch(key, grant(keyId, org, null, "admin", ownerId, "owner"));
    }

    /** What admin-service answers for a key it knows (one that never expires). */
    private static Map<String, Object> grant(String keyId, String org, String project, String ownerType, String ownerId,
            String role) {
        Map<String, Object> grant = new LinkedHashMap<>();
        grant.put("key_id", keyId);
        grant.put("org_id", org);
        grant.put("project_id", project);
        grant.put("owner_type", ownerType);
        grant.put("owner_id", ownerId);
        grant.put("role", role);
        grant.put("expires_at", null);
        return grant;
    }

    private static void vouch(String key, Map<String, Object> grant) {
        server.stubFor(get(urlPathEqualTo(INTERNAL + "api_keys/self")).withId(keyStub(key)).atPriority(5)
                .withHeader("Authorization", equalTo("Bearer " + key)).willReturn(Stubs.json(200, grant)));
    }

    /** The stub forgets a key (as admin-service would after deleting it). */
    public static void forget(String key) {
        Stubs.remove(server, keyStub(key));
    }

    private static UUID keyStub(String key) {
        return UUID.nameUUIDFromBytes(("key " + key).getBytes(StandardCharsets.UTF_8));
    }

    /** A project's limits for a model: requests, tokens and images a minute. */
    public static void limits(String project, String model, int requestsPerMinute, int tokensPerMinute, int imagesPerMinute) {
        limits(project, model, requestsPerMinute, tokensPerMinute, imagesPerMinute, -1);
    }

    /** The same with a limit of requests a day (-1: none). */
    public static void limits(String project, String model, int requestsPerMinute, int tokensPerMinute, int imagesPerMinute,
            int requestsPerDay) {
        server.stubFor(get(urlPathMatching(RATE_LIMITS + "[^/]+")).atPriority(5)
                .withId(UUID.nameUUIDFromBytes(("limits " + project + '/' + model).getBytes(StandardCharsets.UTF_8)))
                .withHeader("OpenAI-Project", equalTo(project)).withHeader("Authorization", Stubs.CALLER_CREDENTIAL)
                .andMatching(request -> MatchResult.of(model.equals(modelOf(request.getUrl()))))
                .willReturn(Stubs.json(200, limits(project, model,
                        new int[] { requestsPerMinute, tokensPerMinute, imagesPerMinute, requestsPerDay }))));
    }

    /** A user (a token's subject) who is a member of a project. */
    public static void member(String subject, String org, String project, String role) {
        server.stubFor(get(urlPathEqualTo(INTERNAL + "projects/" + project + "/grant")).atPriority(5)
                .andMatching(request -> {
                    String auth = request.getHeader("Authorization");
                    return MatchResult.of(auth != null && subject.equals(Tokens.subjectOf(auth.replaceFirst("^Bearer ", ""))));
                })
                .willReturn(Stubs.json(200, Map.of("org_id", org, "project_id", project, "user_id", subject, "role", role))));
    }

    private static final UUID DOWN = UUID.nameUUIDFromBytes("down".getBytes(StandardCharsets.UTF_8));

    /** While down, every question gets a 500, as from an admin-service that is failing. */
    public static void down(boolean down) {
        if (down) {
            server.stubFor(get(urlPathMatching(INTERNAL + ".*")).withId(DOWN).atPriority(1)
                    .willReturn(Stubs.error(500, "admin-service broke", "server_error", null, null)));
        } else {
            Stubs.remove(server, DOWN);
        }
    }

    /** How many requests the stub has answered. */
    public static int lookups() {
        return server.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount();
    }

    @Override
    public Map<String, String> start() {
        server = Stubs.start(Stubs.answering(GENEROUS_LIMITS, AdminStub::generousLimits));
        server.stubFor(get(urlPathMatching(RATE_LIMITS + "[^/]+")).atPriority(7)
                .withHeader("Authorization", Stubs.CALLER_CREDENTIAL).willReturn(aResponse().withTransformers(GENEROUS_LIMITS)));
        server.stubFor(get(urlPathMatching(RATE_LIMITS + "[^/]+")).atPriority(8).willReturn(Stubs.noCredential()));
        server.stubFor(get(urlPathMatching(INTERNAL + ".*")).atPriority(9)
                .willReturn(Stubs.error(404, "not found", "invalid_request_error", null, null)));
        return Map.of("quarkus.rest-client.admin.url", Stubs.url(server));
    }

    @Override
    public void stop() {
        Stubs.stop(server);
    }

    private static String modelOf(String url) {
        String path = url.replaceFirst("\\?.*", "");
        return URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> limits(String project, String model, int[] limits) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("project_id", project);
        answer.put("model", model);
        answer.put("max_requests_per_1_minute", limits[0]);
        answer.put("max_tokens_per_1_minute", limits[1]);
        answer.put("max_images_per_1_minute", limits[2]);
        answer.put("max_audio_megabytes_per_1_minute", null);
        answer.put("max_requests_per_1_day", limits[3] < 0 ? null : limits[3]);
        answer.put("batch_1_day_max_input_tokens", null);
        return answer;
    }

    /** The generous limits of any project and model that no test set limits for. */
    private static ResponseDefinition generousLimits(ServeEvent event) {
        return Stubs.json(200, limits(event.getRequest().getHeader("OpenAI-Project"), modelOf(event.getRequest().getUrl()),
                GENEROUS)).build();
    }
}
