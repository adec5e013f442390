package dev.meridian.assistants.rest;

import static dev.meridian.assistants.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meridian.testsupport.FakeChatUpstream;
import dev.meridian.testsupport.FakeChatUpstream.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import dev.meridian.assistants.Api;
import dev.meridian.assistants.RunFixtures;

/** What a streaming client sees, read as it arrives; and the prompt a run sends for its settings. */
@QuarkusTest
class RunsStreamingTest {

    final String org = Api.newOrg();

    @BeforeEach
    void resetUpstream() {
        FakeChatUpstream.reset();
    }

    /** Opens a streamed create run; the body is read line by line as the server writes it. */
    private BufferedReader stream(String thread, String assistant) throws Exception {
        return new BufferedReader(new InputStreamReader(RunFixtures.stream(org, thread, assistant), StandardCharsets.UTF_8));
    }

    @Test
    void deltasArriveWhileTheRunIsInProgressWithKeepAlivesInBetween() throws Exception {
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b"));
        String thread = RunFixtures.thread(org, "Slowly");
        // pieces 1.3 s apart: longer than the test profile's 1 s keep-alive
        FakeChatUpstream.SCRIPT.add(Reply.text("one", " two").paced(1300));
        List<String> lines = new ArrayList<>();
        String statusAtFirstDelta = null;
        try (BufferedReader reader = stream(thread, assistant)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                if (statusAtFirstDelta == null && line.equals("event: thread.message.delta")) {
                    String run = (String) RunFixtures.list(org, "/v1/threads/" + thread + "/runs").get(0).get("id");
                    statusAtFirstDelta = (String) RunFixtures.get(org, thread, run).get("status");
                }
            }
        }
        assertEquals("in_progress", statusAtFirstDelta, "the first delta reached the client before the run ended");
        assertTrue(lines.contains(": keep-alive"), lines.toString());
        assertEquals("data: [DONE]", lines.get(lines.size() - 2));
    }

    @Test
    void aClientThatLeavesDoesNotCancelTheRun() throws Exception {
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b"));
        String thread = RunFixtures.thread(org, "Start then leave");
        FakeChatUpstream.SCRIPT.add(Reply.text("still", " written", " after", " you", " left").paced(200));
        try (BufferedReader reader = stream(thread, assistant)) {
            String line;
            while ((line = reader.readLine()) != null && !line.equals("event: thread.message.delta")) {
                // read up to the first delta, then hang up
            }
        }
        String run = (String) RunFixtures.list(org, "/v1/threads/" + thread + "/runs").get(0).get("id");
        assertEquals("completed", RunFixtures.await(org, thread, run, RunFixtures.TERMINAL).get("status"));
        assertEquals(List.of(Map.of("type", "text", "text", Map.of("value", "still written after you left",
                "annotations", List.of()))), RunFixtures.list(org, "/v1/threads/" + thread + "/messages?run_id=" + run)
                        .get(0).get("content"));
    }

    @Test
    void toolCallsStreamAsStepDeltasAndOutputsResumeTheStream() throws Exception {
        String assistant = RunFixtures.assistant(org, Map.of("model", "gpt-4o", "tools",
                List.of(RunFixtures.WEATHER)));
        String thread = RunFixtures.thread(org, "get_weather now");
        List<RunFixtures.Event> first = RunFixtures.events(as(org).body(Map.of("assistant_id", assistant, "stream", true))
                .post("/v1/threads/" + thread + "/runs").then().statusCode(200).extract().asString());
        List<String> names = RunFixtures.names(first);
        assertEquals(List.of("thread.run.created", "thread.run.queued", "thread.run.in_progress",
                "thread.run.step.created", "thread.run.step.in_progress"), names.subList(0, 5));
        assertEquals(List.of("thread.run.requires_action", "done"), names.subList(names.size() - 2, names.size()));
        // the run starts in the transaction that creates it, but the stream still shows it queued first
        for (RunFixtures.Event queued : first.subList(0, 2)) {
            assertEquals("queued", queued.data().get("status").asText(), queued.name());
            assertTrue(queued.data().get("started_at").isNull(), queued.name());
        }
        assertEquals("in_progress", first.get(2).data().get("status").asText());
        assertTrue(first.get(2).data().get("started_at").isIntegralNumber());
        StringBuilder arguments = new StringBuilder();
        String callId = null;
        for (RunFixtures.Event event : first.subList(5, first.size() - 2)) {
            assertEquals("thread.run.step.delta", event.name());
            JsonNode call = event.data().at("/delta/step_details/tool_calls/0");
            if (call.has("id")) {
                callId = call.get("id").asText();
                assertEquals("get_weather", call.at("/function/name").asText());
            }
            arguments.append(call.at("/function/arguments").asText());
        }
        assertEquals("{\"input\":\"get_weather now\"}", arguments.toString());
        JsonNode action = first.get(first.size() - 2).data().at("/required_action/submit_tool_outputs/tool_calls/0");
        assertEquals(callId, action.get("id").asText());
        assertEquals(arguments.toString(), action.at("/function/arguments").asText());

        String run = first.get(0).data().get("id").asText();
        List<RunFixtures.Event> second = RunFixtures.events(as(org).body(Map.of("stream", true, "tool_outputs",
                List.of(Map.of("tool_call_id", callId, "output", "warm")))).post("/v1/threads/" + thread + "/runs/" + run
                        + "/submit_tool_outputs").then().statusCode(200).extract().asString());
        assertEquals(List.of("thread.run.step.completed", "thread.run.queued", "thread.run.in_progress",
                "thread.run.step.created", "thread.run.step.in_progress", "thread.message.created",
                "thread.message.in_progress", "thread.message.delta", "thread.message.delta", "thread.message.delta",
                "thread.message.delta", "thread.message.completed", "thread.run.step.completed", "thread.run.completed",
                "done"), RunFixtures.names(second));
        assertEquals("warm", second.get(0).data().at("/step_details/tool_calls/0/function/output").asText());
        assertEquals("queued", second.get(1).data().get("status").asText());
        assertEquals("in_progress", second.get(2).data().get("status").asText());
        // a run starts once: its second turn keeps the first one's started_at
        assertEquals(first.get(2).data().get("started_at"), second.get(2).data().get("started_at"));
    }

    @Test
    void truncationImagesAndToolChoiceShapeThePrompt() {
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b", "tools",
                List.of(RunFixtures.WEATHER, RunFixtures.TIME)));
        String thread = RunFixtures.thread(org, "first");
        as(org).body(Map.of("role", "assistant", "content", "second")).post("/v1/threads/" + thread + "/messages")
                .then().statusCode(200);
        as(org).body(Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "What is this?"),
                Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/cat.png", "detail", "low")))))
                .post("/v1/threads/" + thread + "/messages").then().statusCode(200);
        String run = (String) RunFixtures.create(org, thread, Map.of("assistant_id", assistant, "parallel_tool_calls", false,
                "truncation_strategy", Map.of("type", "last_messages", "last_messages", 2), "tool_choice",
                Map.of("type", "function", "function", Map.of("name", "get_time")), "response_format",
                Map.of("type", "json_object"))).get("id");
        RunFixtures.await(org, thread, run, RunFixtures.TERMINAL);
        JsonNode sent = FakeChatUpstream.REQUESTS.get(0);
        assertEquals("[{\"role\":\"assistant\",\"content\":\"second\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"What is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\","
                + "\"detail\":\"low\"}}]}]", sent.get("messages").toString());
        assertEquals("{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}", sent.get("tool_choice").toString());
        assertEquals(false, sent.get("parallel_tool_calls").asBoolean());
        assertEquals("{\"type\":\"json_object\"}", sent.get("response_format").toString());
    }

    @Test
    void aNewThreadsRunSendsTheSamePromptAsAStoredThreads() {
        // create thread and run builds its first prompt from the messages it just created, without reading them back:
        // the model must get exactly what a run on the same thread, stored beforehand, sends
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b", "instructions", "Be brief."));
        List<Map<String, Object>> messages = List.of(Map.of("role", "user", "content", "first"),
                Map.of("role", "assistant", "content", "second"),
                Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "What is this?"),
                        Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/cat.png")))));
        String created = as(org).body(Map.of("assistant_id", assistant, "thread", Map.of("messages", messages)))
                .post("/v1/threads/runs").then().statusCode(200).extract().path("thread_id");
        String run = (String) RunFixtures.list(org, "/v1/threads/" + created + "/runs").get(0).get("id");
        assertEquals("completed", RunFixtures.await(org, created, run, RunFixtures.TERMINAL).get("status"));
        String stored = as(org).body(Map.of("messages", messages)).post("/v1/threads").then().statusCode(200).extract()
                .path("id");
        String second = (String) RunFixtures.create(org, stored, Map.of("assistant_id", assistant)).get("id");
        assertEquals("completed", RunFixtures.await(org, stored, second, RunFixtures.TERMINAL).get("status"));
        assertEquals(2, FakeChatUpstream.REQUESTS.size());
        assertEquals("[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"first\"},"
                + "{\"role\":\"assistant\",\"content\":\"second\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"What is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\","
                + "\"detail\":\"auto\"}}]}]", FakeChatUpstream.REQUESTS.get(0).get("messages").toString());
        assertEquals(FakeChatUpstream.REQUESTS.get(1), FakeChatUpstream.REQUESTS.get(0));
    }

    @Test
    void aStreamedRunsFirstDeltaIsTimedOnceAndAnUnstreamedOneIsNot() throws Exception {
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b"));
        String thread = RunFixtures.thread(org, "Time me");
        // the upstream's first piece comes 300 ms after the request: the first delta cannot be timed shorter
        FakeChatUpstream.SCRIPT.add(Reply.text("one", " two").paced(300));
        double count = firstDelta("count");
        double sum = firstDelta("sum");
        long started = System.nanoTime();
        try (BufferedReader reader = stream(thread, assistant)) {
            while (reader.readLine() != null) {
                // to [DONE]: two deltas, one first delta
            }
        }
        double whole = (System.nanoTime() - started) / 1e9;
        assertEquals(count + 1, firstDelta("count"));
        double timed = firstDelta("sum") - sum;
        assertTrue(timed >= 0.3 && timed < whole, "first delta timed at " + timed + " s of a " + whole + " s request");
        String unstreamed = RunFixtures.thread(org, "Not streamed");
        String run = (String) RunFixtures.create(org, unstreamed, Map.of("assistant_id", assistant)).get("id");
        assertEquals("completed", RunFixtures.await(org, unstreamed, run, RunFixtures.TERMINAL).get("status"));
        assertEquals(count + 1, firstDelta("count"));
    }

    /** {@code meridian_runs_first_delta_seconds_<suffix>} as the service's Prometheus endpoint reports it. */
    private static double firstDelta(String suffix) {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        String name = "meridian_runs_first_delta_seconds_" + suffix + " ";
        return metrics.lines().filter(line -> line.startsWith(name))
                .mapToDouble(line -> Double.parseDouble(line.substring(name.length()))).findFirst().orElse(0);
    }

    @Test
    void builtinHonoursToolChoice() {
        String assistant = RunFixtures.assistant(org, Map.of("model", "gpt-4o", "tools",
                List.of(RunFixtures.WEATHER, RunFixtures.TIME)));
        record Choice(Object toolChoice, Boolean parallel, List<String> calls) {
        }
        for (Choice choice : List.of(new Choice("none", null, List.of()), new Choice("auto", null,
                List.of("get_weather", "get_time")), new Choice("auto", false, List.of("get_weather")),
                new Choice(Map.of("type", "function", "function", Map.of("name", "get_time")), null, List.of("get_time")))) {
            String thread = RunFixtures.thread(org, "get_weather and get_time please");
            Map<String, Object> body = new java.util.HashMap<>(Map.of("assistant_id", assistant, "tool_choice",
                    choice.toolChoice()));
            if (choice.parallel() != null) {
                body.put("parallel_tool_calls", choice.parallel());
            }
            String run = (String) RunFixtures.create(org, thread, body).get("id");
            Map<String, Object> ended = RunFixtures.awaitEnd(org, thread, run);
            List<String> calls = new ArrayList<>();
            RunFixtures.JSON.valueToTree(ended).at("/required_action/submit_tool_outputs/tool_calls")
                    .forEach(call -> calls.add(call.at("/function/name").asText()));
            assertEquals(choice.calls(), calls, choice.toString());
            assertEquals(choice.calls().isEmpty() ? "completed" : "requires_action", ended.get("status"));
        }
        String thread = RunFixtures.thread(org, "nothing named here");
        String run = (String) RunFixtures.create(org, thread, Map.of("assistant_id", assistant, "tool_choice",
                "required")).get("id");
        JsonNode required = RunFixtures.JSON.valueToTree(RunFixtures.awaitEnd(org, thread, run))
                .at("/required_action/submit_tool_outputs/tool_calls");
        assertEquals("get_weather", required.get(0).at("/function/name").asText());
    }
}
