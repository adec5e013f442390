package dev.meridian.assistants;

import static dev.meridian.assistants.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.testsupport.Tokens;
import io.restassured.RestAssured;

/** Helpers of the run tests: creating what a run needs, waiting for a status, reading a stream. */
public final class RunFixtures {

    /** Function tools the runs tests give their assistants. */
    public static final Map<String, Object> WEATHER = Map.of("type", "function", "function", Map.of("name", "get_weather",
            "description", "Weather of a city", "parameters", Map.of("type", "object", "properties", Map.of("city",
                    Map.of("type", "string")))));
    public static final Map<String, Object> TIME = Map.of("type", "function", "function", Map.of("name", "get_time"));

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    public static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "expired", "incomplete");

    private RunFixtures() {
    }

    /**
     * Opens a streamed create run on the thread and checks that it streams; the body can be read line by line as the
     * server writes it.
     */
    public static InputStream stream(String org, String thread, String assistant) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/threads/"
                + thread + "/runs")).header("Authorization", "Bearer " + Tokens.member(org))
                .header("OpenAI-Beta", "assistants=v2").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"assistant_id\":\"" + assistant + "\",\"stream\":true}"))
                .build();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElseThrow());
        return response.body();
    }

    public static String assistant(String org, Map<String, Object> body) {
        return Api.createAssistant(org, body);
    }

    public static String thread(String org, String userText) {
        return as(org).body(Map.of("messages", List.of(Map.of("role", "user", "content", userText))))
                .post("/v1/threads").then().statusCode(200).extract().path("id");
    }

    public static Map<String, Object> create(String org, String thread, Map<String, Object> body) {
        return Api.json(as(org).body(body).post("/v1/threads/" + thread + "/runs").then().statusCode(200).extract()
                .response());
    }

    public static Map<String, Object> get(String org, String thread, String run) {
        return Api.json(as(org).get("/v1/threads/" + thread + "/runs/" + run).then().statusCode(200).extract().response());
    }

    /** The run once its status is one of {@code statuses}. */
    public static Map<String, Object> await(String org, String thread, String run, Set<String> statuses) {
        List<Map<String, Object>> seen = new ArrayList<>(1);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25)).until(() -> {
            Map<String, Object> now = get(org, thread, run);
            seen.clear();
            seen.add(now);
            return statuses.contains(now.get("status"));
        });
        return seen.get(0);
    }

    public static Map<String, Object> awaitEnd(String org, String thread, String run) {
        return await(org, thread, run, Set.of("completed", "failed", "cancelled", "expired", "incomplete",
                "requires_action"));
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(String org, String path) {
        return (List<Map<String, Object>>) Api.json(as(org).get(path).then().statusCode(200).extract().response())
                .get("data");
    }

    /** One server-sent event as received. */
    public record Event(String name, JsonNode data) {
    }

    /** The events of a {@code text/event-stream} body, in order; a comment line is skipped. */
    public static List<Event> events(String body) throws Exception {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (name != null) {
                events.add(new Event(name, "[DONE]".equals(data) ? null : JSON.readTree(data)));
            }
        }
        return events;
    }

    public static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).toList();
    }

    /** Asserts a 400 envelope naming {@code param} (null for none) with exactly {@code message}. */
    public static void refused(io.restassured.response.Response response, String param, String message) {
        refused(response, param, message, null);
    }

    /** As {@link #refused(io.restassured.response.Response, String, String)}, with an error {@code code}. */
    public static void refused(io.restassured.response.Response response, String param, String message, String code) {
        org.junit.jupiter.api.Assertions.assertEquals(400, response.statusCode(), response.asString());
        org.junit.jupiter.api.Assertions.assertEquals(Map.of("error", ordered("message", message, "type",
                "invalid_request_error", "param", param, "code", code)), Api.json(response));
    }

    /** A map that keeps insertion order, for building expected objects. */
    public static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
