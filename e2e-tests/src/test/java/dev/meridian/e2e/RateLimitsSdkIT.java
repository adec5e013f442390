package dev.meridian.e2e;

import static dev.meridian.e2e.ApiKeysSdkIT.admin;
import static dev.meridian.e2e.ApiKeysSdkIT.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.moderations.ModerationCreateParams;

/**
 * Project rate limits through the running stack: two replicas of a service admit no more than the limit together,
 * the headers count down, and the official SDK's automatic retry waits out a 429.
 */
class RateLimitsSdkIT {

    static String projectWithKey(String name) throws Exception {
        String owner = Stack.token("owner");
        String project = admin("POST", "/organization/projects", owner, Map.of("name", name + " " + System.nanoTime()))
                .path("id").asText();
        return project;
    }

    static String serviceAccountKey(String project) throws Exception {
        return admin("POST", "/organization/projects/" + project + "/service_accounts", Stack.token("owner"),
                Map.of("name", "limited app")).path("api_key").path("value").asText();
    }

    static JsonNode limit(String project, String model, Map<String, Object> limits) throws Exception {
        return admin("POST", "/organization/projects/" + project + "/rate_limits/rl-" + model, Stack.token("owner"), limits);
    }

    @Test
    void twoReplicasTogetherAdmitExactlyTheLimit() throws Exception {
        String project = projectWithKey("two replicas");
        String key = serviceAccountKey(project);
        JsonNode changed = limit(project, "dall-e-2", Map.of("max_requests_per_1_minute", 10));
        assertEquals(10, changed.path("max_requests_per_1_minute").asInt());
        String replica = Stack.replica("images-service");
        String body = "{\"prompt\":\"a lighthouse\",\"model\":\"dall-e-2\",\"size\":\"256x256\",\"response_format\":\"b64_json\"}";
        Map<String, Object> request = new com.fasterxml.jackson.databind.ObjectMapper().readValue(body, Map.class);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String url = (i % 2 == 0 ? Stack.baseUrl() : replica + "/v1") + "/images/generations";
            answers.add(pool.submit(() -> send("POST", url, key, request)));
        }
        int admitted = 0;
        int refused = 0;
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            if (response.statusCode() == 200) {
                admitted++;
            } else {
                assertEquals(429, response.statusCode(), response.body());
                assertTrue(response.body().contains("\"code\":\"rate_limit_exceeded\""), response.body());
                assertTrue(Integer.parseInt(response.headers().firstValue("retry-after").orElseThrow()) >= 1);
                assertEquals("10", response.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
                refused++;
            }
        }
        pool.shutdown();
        assertEquals(10, admitted, "both replicas draw on one bucket in PostgreSQL");
        assertEquals(20, refused);
    }

    @Test
    void theSdkRetriesA429AfterRetryAfter() throws Exception {
        String project = projectWithKey("sdk retry");
        String key = serviceAccountKey(project);
        // 20 a minute: one more every 3 seconds once spent
        limit(project, "omni-moderation-latest", Map.of("max_requests_per_1_minute", 20));
        OpenAIClient noRetries = Stack.clientWithKey(key);
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = send("POST", Stack.baseUrl() + "/moderations", key, Map.of("input", "hello"));
            assertEquals(200, response.statusCode(), response.body());
            remaining.add(Integer.parseInt(response.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow()));
        }
        assertEquals(19, remaining.get(0));
        assertEquals(0, remaining.get(19));
        RateLimitException refused = assertThrows(RateLimitException.class, () -> noRetries.moderations().create(
                ModerationCreateParams.builder().input("hello").build()));
        assertEquals(429, refused.statusCode());
        assertEquals("rate_limit_exceeded", refused.code().orElseThrow());

        OpenAIClient retrying = OpenAIOkHttpClient.builder().baseUrl(Stack.baseUrl()).apiKey(key).maxRetries(3).build();
        long started = System.nanoTime();
        assertFalse(retrying.moderations().create(ModerationCreateParams.builder().input("hello").build()).results().get(0)
                .flagged());
        assertTrue(System.nanoTime() - started > 500_000_000L, "the SDK waited for the bucket to refill before retrying");
    }
}
