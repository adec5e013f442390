package dev.meridian.assistants.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meridian.common.security.Projects;
import dev.meridian.testsupport.AdminStub;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import dev.meridian.assistants.Api;
import dev.meridian.assistants.RunFixtures;

/** Runs count against their project's limits for the model: requests, and tokens reserved then settled. */
@QuarkusTest
class RunRateLimitsTest {

    @Test
    void runsAreCountedAndTheirTokensSettledWithWhatTheModelUsed() {
        String org = Api.newOrg();
        AdminStub.limits(Projects.defaultFor(org), "gpt-4o", 2, 1000, 0);
        String assistant = RunFixtures.assistant(org, Map.of("model", "gpt-4o"));
        String thread = RunFixtures.thread(org, "Hello limits");

        Response first = Api.as(org).body(Map.of("assistant_id", assistant, "max_completion_tokens", 300))
                .post("/v1/threads/" + thread + "/runs");
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals("1", first.header("x-ratelimit-remaining-requests"));
        assertEquals("1000", first.header("x-ratelimit-limit-tokens"));
        // reserved: the completion allowance (300) and the instructions' estimate (none)
        assertEquals("700", first.header("x-ratelimit-remaining-tokens"));
        Map<String, Object> done = RunFixtures.awaitEnd(org, thread, first.jsonPath().getString("id"));
        assertEquals("completed", done.get("status"));
        long used = ((Number) ((Map<String, Object>) done.get("usage")).get("total_tokens")).longValue();
        assertTrue(used > 0 && used < 300, "the builtin engine reports a few tokens: " + used);

        // the reservation was settled with the usage: the next run sees the difference given back
        Response second = Api.as(org).body(Map.of("assistant_id", assistant, "max_completion_tokens", 300))
                .post("/v1/threads/" + thread + "/runs");
        assertEquals(200, second.statusCode(), second.asString());
        long remaining = Long.parseLong(second.header("x-ratelimit-remaining-tokens"));
        assertTrue(remaining >= 1000 - used - 300 && remaining <= 1000 - 300, "remaining " + remaining + " after using " + used);
        RunFixtures.awaitEnd(org, thread, second.jsonPath().getString("id"));

        Response third = Api.as(org).body(Map.of("assistant_id", assistant)).post("/v1/threads/" + thread + "/runs");
        assertEquals(429, third.statusCode());
        assertEquals("requests", third.jsonPath().getString("error.type"));
        assertEquals("rate_limit_exceeded", third.jsonPath().getString("error.code"));
    }
}
