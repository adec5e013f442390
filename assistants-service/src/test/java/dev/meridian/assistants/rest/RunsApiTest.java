package dev.meridian.assistants.rest;

import static dev.meridian.assistants.Api.as;
import static dev.meridian.assistants.RunFixtures.ordered;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meridian.testsupport.FakeChatUpstream;
import io.quarkus.test.junit.QuarkusTest;
import dev.meridian.assistants.Api;
import dev.meridian.assistants.RunFixtures;

/** Runs on the builtin engine and on an OpenAI-compatible upstream: lifecycle, fields, messages, steps. */
@QuarkusTest
class RunsApiTest {

    final String org = Api.newOrg();

    @BeforeEach
    void resetUpstream() {
        FakeChatUpstream.reset();
    }

    @Test
    void builtinRunAnswersWithEveryField() {
        String assistant = RunFixtures.assistant(org, Map.of("model", "gpt-4o", "instructions", "Be brief."));
        String thread = RunFixtures.thread(org, "Hello there");
        Map<String, Object> created = RunFixtures.create(org, thread, Map.of("assistant_id", assistant,
                "metadata", Map.of("k", "v")));
        String id = (String) created.get("id");
        assertTrue(id.matches("run_[0-9A-Za-z]{24}"), id);
        long createdAt = ((Number) created.get("created_at")).longValue();
        Map<String, Object> expected = ordered(
                "id", id, "object", "thread.run", "created_at", created.get("created_at"), "assistant_id", assistant,
                "thread_id", thread, "status", "queued", "started_at", null, "expires_at", (int) (createdAt + 6),
                "cancelled_at", null, "failed_at", null, "completed_at", null, "required_action", null, "last_error", null,
                "model", "gpt-4o", "instructions", "Be brief.", "tools", List.of(), "metadata", Map.of("k", "v"),
                "incomplete_details", null, "usage", null, "temperature", 1.0, "top_p", 1.0, "max_prompt_tokens", null,
                "max_completion_tokens", null, "truncation_strategy", ordered("type", "auto", "last_messages", null),
                "tool_choice", "auto", "parallel_tool_calls", true, "response_format", "auto");
        assertEquals(expected, created);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(created.keySet()));

        Map<String, Object> done = RunFixtures.await(org, thread, id, RunFixtures.TERMINAL);
        assertEquals("completed", done.get("status"));
        assertNotNull(done.get("started_at"));
        assertNotNull(done.get("completed_at"));
        assertNull(done.get("expires_at"));
        // builtin tokens are words: "Be brief." + "Hello there" in, "You said: Hello there" out
        assertEquals(Map.of("prompt_tokens", 4, "completion_tokens", 4, "total_tokens", 8), done.get("usage"));

        List<Map<String, Object>> messages = RunFixtures.list(org, "/v1/threads/" + thread + "/messages?order=asc");
        assertEquals(2, messages.size());
        Map<String, Object> answer = messages.get(1);
        assertEquals("assistant", answer.get("role"));
        assertEquals(assistant, answer.get("assistant_id"));
        assertEquals(id, answer.get("run_id"));
        assertEquals("completed", answer.get("status"));
        assertEquals(List.of(Map.of("type", "text", "text", Map.of("value", "You said: Hello there", "annotations",
                List.of()))), answer.get("content"));
        assertEquals(List.of(answer), RunFixtures.list(org, "/v1/threads/" + thread + "/messages?run_id=" + id));

        List<Map<String, Object>> steps = RunFixtures.list(org, "/v1/threads/" + thread + "/runs/" + id + "/steps");
        assertEquals(1, steps.size());
        Map<String, Object> step = steps.get(0);
        String stepId = (String) step.get("id");
        assertTrue(stepId.matches("step_[0-9A-Za-z]{24}"), stepId);
        Map<String, Object> expectedStep = ordered("id", stepId, "object", "thread.run.step", "created_at",
                step.get("created_at"), "run_id", id, "assistant_id", assistant, "thread_id", thread, "type",
                "message_creation", "status", "completed", "cancelled_at", null, "completed_at", step.get("completed_at"),
                "expired_at", null, "failed_at", null, "last_error", null, "step_details", Map.of("type",
                        "message_creation", "message_creation", Map.of("message_id", answer.get("id"))),
                "metadata", Map.of(), "usage", Map.of("prompt_tokens", 4, "completion_tokens", 4, "total_tokens", 8));
        assertEquals(expectedStep, step);
        assertNotNull(step.get("completed_at"));
        assertEquals(expectedStep, Api.json(as(org).get("/v1/threads/" + thread + "/runs/" + id + "/steps/" + stepId)
                .then().statusCode(200).extract().response()));
        assertEquals(List.of(done), RunFixtures.list(org, "/v1/threads/" + thread + "/runs"));
    }

    @Test
    void upstreamRunSendsTheConversationAndStoresTheAnswer() {
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b", "instructions", "You are terse."));
        String thread = RunFixtures.thread(org, "Say hello");
        String id = (String) RunFixtures.create(org, thread, Map.of("assistant_id", assistant, "temperature", 0.2,
                "max_completion_tokens", 300, "additional_instructions", "Answer in English.")).get("id");
        Map<String, Object> done = RunFixtures.await(org, thread, id, RunFixtures.TERMINAL);
        assertEquals("completed", done.get("status"));
        assertEquals("You are terse.\n\nAnswer in English.", done.get("instructions"));
        assertEquals(Map.of("prompt_tokens", 11, "completion_tokens", 3, "total_tokens", 14), done.get("usage"));

        assertEquals(1, FakeChatUpstream.REQUESTS.size());
        JsonNode sent = FakeChatUpstream.REQUESTS.get(0);
        assertEquals("llama3.1:8b-instruct", sent.get("model").asText());
        assertEquals("[{\"role\":\"system\",\"content\":\"You are terse.\\n\\nAnswer in English.\"},"
                + "{\"role\":\"user\",\"content\":\"Say hello\"}]", sent.get("messages").toString());
        assertEquals(0.2, sent.get("temperature").asDouble());
        assertEquals(300, sent.get("max_tokens").asInt());
        assertTrue(sent.get("stream").asBoolean());
        assertEquals("{\"include_usage\":true}", sent.get("stream_options").toString());
        assertNull(sent.get("tools"));
        assertEquals(List.of("Bearer sk-fake-upstream"), FakeChatUpstream.AUTHORIZATIONS);

        List<Map<String, Object>> answer = RunFixtures.list(org, "/v1/threads/" + thread + "/messages?run_id=" + id);
        assertEquals(List.of(Map.of("type", "text", "text", Map.of("value", "Hello from upstream", "annotations",
                List.of()))), answer.get(0).get("content"));
    }

    @Test
    void streamedRunSendsOpenAisEventOrder() throws Exception {
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b"));
        String thread = RunFixtures.thread(org, "Say hello");
        String body = as(org).body(Map.of("assistant_id", assistant, "stream", true))
                .post("/v1/threads/" + thread + "/runs").then().statusCode(200)
                .contentType("text/event-stream").extract().asString();
        List<RunFixtures.Event> events = RunFixtures.events(body);
        assertEquals(List.of("thread.run.created", "thread.run.queued", "thread.run.in_progress",
                "thread.run.step.created", "thread.run.step.in_progress", "thread.message.created",
                "thread.message.in_progress", "thread.message.delta", "thread.message.delta", "thread.message.delta",
                "thread.message.completed", "thread.run.step.completed", "thread.run.completed", "done"),
                RunFixtures.names(events));
        String runId = events.get(0).data().get("id").asText();
        assertEquals("queued", events.get(0).data().get("status").asText());
        assertEquals("in_progress", events.get(2).data().get("status").asText());
        StringBuilder text = new StringBuilder();
        for (RunFixtures.Event event : events.subList(7, 10)) {
            assertEquals("thread.message.delta", event.data().get("object").asText());
            text.append(event.data().at("/delta/content/0/text/value").asText());
        }
        assertEquals("Hello from upstream", text.toString());
        JsonNode completedMessage = events.get(10).data();
        assertEquals(RunFixtures.JSON.valueToTree(RunFixtures.list(org, "/v1/threads/" + thread + "/messages?run_id="
                + runId).get(0)), completedMessage);
        assertEquals(RunFixtures.JSON.valueToTree(RunFixtures.get(org, thread, runId)), events.get(12).data());
        assertNull(events.get(13).data());
        assertTrue(body.endsWith("event: done\ndata: [DONE]\n\n"), body);
    }

    @Test
    void anotherOrgSeesNoRun() {
        String assistant = RunFixtures.assistant(org, Map.of("model", "gpt-4o"));
        String thread = RunFixtures.thread(org, "Hello");
        String id = (String) RunFixtures.create(org, thread, Map.of("assistant_id", assistant)).get("id");
        RunFixtures.await(org, thread, id, Set.of("completed"));
        String other = Api.newOrg();
        String base = "/v1/threads/" + thread + "/runs";
        for (var request : List.<java.util.function.Function<io.restassured.specification.RequestSpecification,
                io.restassured.response.Response>>of(
                r -> r.get(base), r -> r.get(base + "/" + id), r -> r.body(Map.of()).post(base + "/" + id),
                r -> r.post(base + "/" + id + "/cancel"), r -> r.get(base + "/" + id + "/steps"),
                r -> r.body(Map.of("tool_outputs", List.of())).post(base + "/" + id + "/submit_tool_outputs"),
                r -> r.body(Map.of("assistant_id", assistant)).post(base))) {
            request.apply(as(other)).then().statusCode(404).body("error.type", equalTo(
                    "invalid_request_error"));
        }
    }
}
