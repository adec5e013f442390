package dev.meridian.assistants.rest;

import static dev.meridian.assistants.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meridian.testsupport.FakeChatUpstream;
import dev.meridian.testsupport.FakeChatUpstream.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import dev.meridian.assistants.Api;
import dev.meridian.assistants.RunFixtures;

/** Runs' rules and what they do when tools, limits, cancellation, time and upstream faults come in. */
@QuarkusTest
class RunsBehaviourTest {

    final String org = Api.newOrg();

    @BeforeEach
    void resetUpstream() {
        FakeChatUpstream.reset();
    }

    @Test
    void badValuesNameTheirParameter() {
        String assistant = RunFixtures.assistant(org, Map.of("model", "gpt-4o", "tools", List.of(RunFixtures.WEATHER)));
        String thread = RunFixtures.thread(org, "Hi");
        String runs = "/v1/threads/" + thread + "/runs";
        record Case(Map<String, Object> body, int status, String param, String message) {
        }
        List<Case> cases = List.of(
                new Case(Map.of(), 400, "assistant_id", "Missing required parameter: 'assistant_id'."),
                new Case(Map.of("assistant_id", "asst_nope"), 404, "assistant_id", "No assistant found with id 'asst_nope'."),
                new Case(Map.of("assistant_id", assistant, "temperature", 2.5), 400, "temperature",
                        "Invalid 'temperature': must be between 0 and 2."),
                new Case(Map.of("assistant_id", assistant, "top_p", -1), 400, "top_p",
                        "Invalid 'top_p': must be between 0 and 1."),
                new Case(Map.of("assistant_id", assistant, "max_completion_tokens", 255), 400, "max_completion_tokens",
                        "Invalid 'max_completion_tokens': must be at least 256."),
                new Case(Map.of("assistant_id", assistant, "max_prompt_tokens", 10), 400, "max_prompt_tokens",
                        "Invalid 'max_prompt_tokens': must be at least 256."),
                new Case(Map.of("assistant_id", assistant, "truncation_strategy", Map.of("type", "last_messages",
                        "last_messages", 0)), 400, "truncation_strategy.last_messages", "Invalid"
                                + " 'truncation_strategy.last_messages': integer below minimum value. Expected a value >= 1,"
                                + " but got 0 instead."),
                new Case(Map.of("assistant_id", assistant, "truncation_strategy", Map.of("type", "middle")), 400,
                        "truncation_strategy.type", "Invalid value for 'truncation_strategy.type': expected one of 'auto',"
                                + " 'last_messages', but got 'middle'."),
                new Case(Map.of("assistant_id", assistant, "tool_choice", "sometimes"), 400, "tool_choice",
                        "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or an object naming a tool,"
                                + " but got 'sometimes'."),
                new Case(Map.of("assistant_id", assistant, "tool_choice", Map.of("type", "function", "function",
                        Map.of("name", "nope"))), 400, "tool_choice.function.name",
                        "Invalid 'tool_choice.function.name': the run has no function named 'nope'."),
                new Case(Map.of("assistant_id", assistant, "tools", List.of(Map.of("type", "code_interpreter"))), 400,
                        "tools", "The 'code_interpreter' tool cannot run on this server yet: only 'function' tools can."
                                + " Remove it from the run's tools."),
                new Case(Map.of("assistant_id", assistant, "model", "dall-e-3"), 400, "model",
                        "The model 'dall-e-3' cannot be used with the Assistants API: it is an image model."),
                new Case(Map.of("assistant_id", assistant, "additional_messages", List.of(Map.of("role", "user"))), 400,
                        "additional_messages[0].content", "Missing required parameter: 'additional_messages[0].content'."),
                new Case(Map.of("assistant_id", assistant, "parallel_tool_calls", "yes"), 400, "parallel_tool_calls",
                        "Invalid type for 'parallel_tool_calls': expected a boolean."));
        for (Case bad : cases) {
            Response response = as(org).body(bad.body()).post(runs);
            assertEquals(bad.status(), response.statusCode(), bad.toString() + response.asString());
            assertEquals(Map.of("error", RunFixtures.ordered("message", bad.message(), "type", "invalid_request_error",
                    "param", bad.param(), "code", response.path("error.code"))), Api.json(response), bad.toString());
        }
        assertEquals(List.of(), RunFixtures.list(org, runs), "no run was created by a refused request");
        String interpreter = RunFixtures.assistant(org, Map.of("model", "gpt-4o", "tools",
                List.of(Map.of("type", "file_search"))));
        RunFixtures.refused(as(org).body(Map.of("assistant_id", interpreter)).post(runs), "tools",
                "The 'file_search' tool cannot run on this server yet: only 'function' tools can. Remove it from the"
                        + " assistant's tools, or override them with the run's 'tools'.", "unsupported_tool");
    }

    @Test
    void functionToolRoundTripOnTheBuiltinEngine() {
        String assistant = RunFixtures.assistant(org, Map.of("model", "gpt-4o", "tools", List.of(RunFixtures.WEATHER, RunFixtures.TIME)));
        String thread = RunFixtures.thread(org, "Please get_weather for Paris");
        String run = (String) RunFixtures.create(org, thread, Map.of("assistant_id", assistant)).get("id");
        Map<String, Object> waiting = RunFixtures.awaitEnd(org, thread, run);
        assertEquals("requires_action", waiting.get("status"));
        assertNull(waiting.get("usage"));
        JsonNode action = RunFixtures.JSON.valueToTree(waiting.get("required_action"));
        assertEquals("submit_tool_outputs", action.get("type").asText());
        JsonNode calls = action.at("/submit_tool_outputs/tool_calls");
        assertEquals(1, calls.size());
        String callId = calls.get(0).get("id").asText();
        assertEquals("{\"id\":\"" + callId + "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"input\\\":\\\"Please get_weather for Paris\\\"}\"}}", calls.get(0).toString());

        String path = "/v1/threads/" + thread + "/runs/" + run;
        RunFixtures.refused(as(org).body(Map.of("tool_outputs", List.of(Map.of("tool_call_id", "call_x",
                "output", "?")))).post(path + "/submit_tool_outputs"), "tool_outputs",
                "Expected tool outputs for call_ids ['" + callId + "'], got ['call_x'].");
        RunFixtures.refused(as(org).body(Map.of("role", "user", "content", "more")).post("/v1/threads/" + thread
                + "/messages"), null, "Can't add messages to " + thread + " while a run " + run + " is active.");
        Map<String, Object> resumed = Api.json(as(org).body(Map.of("tool_outputs", List.of(Map.of("tool_call_id", callId,
                "output", "22C and sunny")))).post(path + "/submit_tool_outputs").then().statusCode(200).extract()
                .response());
        assertEquals("queued", resumed.get("status"));
        assertNull(resumed.get("required_action"));

        Map<String, Object> done = RunFixtures.await(org, thread, run, RunFixtures.TERMINAL);
        assertEquals("completed", done.get("status"));
        List<Map<String, Object>> answer = RunFixtures.list(org, "/v1/threads/" + thread + "/messages?run_id=" + run);
        assertEquals(List.of(Map.of("type", "text", "text", Map.of("value", "The tools answered: 22C and sunny",
                "annotations", List.of()))), answer.get(0).get("content"));
        List<Map<String, Object>> steps = RunFixtures.list(org, path + "/steps?order=asc");
        assertEquals(List.of("tool_calls", "message_creation"), steps.stream().map(step -> step.get("type")).toList());
        assertEquals(List.of("completed", "completed"), steps.stream().map(step -> step.get("status")).toList());
        assertEquals(Map.of("type", "tool_calls", "tool_calls", List.of(Map.of("id", callId, "type", "function",
                "function", Map.of("name", "get_weather", "arguments", "{\"input\":\"Please get_weather for Paris\"}",
                        "output", "22C and sunny")))), steps.get(0).get("step_details"));
        RunFixtures.refused(as(org).body(Map.of("tool_outputs", List.of())).post(path + "/submit_tool_outputs"),
                null, "Runs in status \"completed\" do not accept tool outputs.");
        RunFixtures.refused(as(org).post(path + "/cancel"), null, "Cannot cancel run with status 'completed'.");
    }

    @Test
    void parallelUpstreamCallsInterleavedAndSplitAreAssembled() {
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b", "tools", List.of(RunFixtures.WEATHER, RunFixtures.TIME)));
        String thread = RunFixtures.thread(org, "Weather and time in Oslo?");
        FakeChatUpstream.SCRIPT.add(Reply.toolCalls(3, new String[] {"get_weather", "{\"city\":\"Oslo\"}"},
                new String[] {"get_time", "{\"tz\":\"Europe/Oslo\"}"}));
        FakeChatUpstream.SCRIPT.add(Reply.toolCalls(5, new String[] {"get_time", "{\"tz\":\"UTC\"}"}));
        String run = (String) RunFixtures.create(org, thread, Map.of("assistant_id", assistant)).get("id");
        JsonNode calls = RunFixtures.JSON.valueToTree(RunFixtures.awaitEnd(org, thread, run).get("required_action"))
                .at("/submit_tool_outputs/tool_calls");
        assertEquals("[{\"id\":\"call_fake0\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
                + "\"{\\\"city\\\":\\\"Oslo\\\"}\"}},{\"id\":\"call_fake1\",\"type\":\"function\",\"function\":{\"name\":"
                + "\"get_time\",\"arguments\":\"{\\\"tz\\\":\\\"Europe/Oslo\\\"}\"}}]", calls.toString());
        JsonNode first = FakeChatUpstream.REQUESTS.get(0);
        assertEquals("auto", first.get("tool_choice").asText());
        assertEquals("[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather of a city\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}},"
                + "{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}]", first.get("tools").toString());

        String path = "/v1/threads/" + thread + "/runs/" + run + "/submit_tool_outputs";
        as(org).body(Map.of("tool_outputs", List.of(Map.of("tool_call_id", "call_fake1", "output", "14:00"),
                Map.of("tool_call_id", "call_fake0", "output", "rain")))).post(path).then().statusCode(200);
        // the model calls a tool again: a second round trip
        JsonNode again = RunFixtures.JSON.valueToTree(RunFixtures.awaitEnd(org, thread, run).get("required_action"))
                .at("/submit_tool_outputs/tool_calls");
        assertEquals(1, again.size());
        JsonNode second = FakeChatUpstream.REQUESTS.get(1);
        assertEquals("[{\"role\":\"user\",\"content\":\"Weather and time in Oslo?\"},{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"call_fake0\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}},{\"id\":\"call_fake1\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"get_time\",\"arguments\":\"{\\\"tz\\\":\\\"Europe/Oslo\\\"}\"}}]},{\"role\":\"tool\","
                + "\"tool_call_id\":\"call_fake0\",\"content\":\"rain\"},{\"role\":\"tool\",\"tool_call_id\":\"call_fake1\","
                + "\"content\":\"14:00\"}]", second.get("messages").toString());
        as(org).body(Map.of("tool_outputs", List.of(Map.of("tool_call_id", "call_fake0", "output", "12:00")))).post(path)
                .then().statusCode(200);
        Map<String, Object> done = RunFixtures.await(org, thread, run, RunFixtures.TERMINAL);
        assertEquals("completed", done.get("status"));
        // three turns, each reporting its usage: 20+7, 20+7, 11+3
        assertEquals(Map.of("prompt_tokens", 51, "completion_tokens", 17, "total_tokens", 68), done.get("usage"));
        assertEquals(3, FakeChatUpstream.REQUESTS.size());
    }

    @Test
    void oneActiveRunPerThreadEvenUnderConcurrentCreates() throws Exception {
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b"));
        String thread = RunFixtures.thread(org, "Hi");
        for (int i = 0; i < 8; i++) {
            FakeChatUpstream.SCRIPT.add(Reply.text("slow", " answer").paced(300));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Response>> creates = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                creates.add(() -> as(org).body(Map.of("assistant_id", assistant)).post("/v1/threads/" + thread + "/runs"));
            }
            List<Response> responses = new ArrayList<>();
            for (Future<Response> response : pool.invokeAll(creates)) {
                responses.add(response.get());
            }
            List<Response> accepted = responses.stream().filter(r -> r.statusCode() == 200).toList();
            assertEquals(1, accepted.size(), "exactly one run is created");
            String run = accepted.get(0).path("id");
            for (Response refused : responses) {
                if (refused.statusCode() != 200) {
                    RunFixtures.refused(refused, null, "Thread " + thread + " already has an active run " + run + ".");
                }
            }
            RunFixtures.await(org, thread, run, RunFixtures.TERMINAL);
            // once it ended, the thread takes a new run
            String next = (String) RunFixtures.create(org, thread, Map.of("assistant_id", assistant)).get("id");
            RunFixtures.await(org, thread, next, RunFixtures.TERMINAL);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancelDuringAStreamAbortsTheUpstream() throws Exception {
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b"));
        String thread = RunFixtures.thread(org, "Tell me a long story");
        FakeChatUpstream.SCRIPT.add(Reply.text("Once", " upon", " a", " time", " there", " was").paced(400));
        CompletableFuture<String> stream = CompletableFuture.supplyAsync(() -> as(org).body(Map.of("assistant_id",
                assistant, "stream", true)).post("/v1/threads/" + thread + "/runs").then().statusCode(200).extract()
                .asString());
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !RunFixtures.list(org, "/v1/threads/" + thread + "/messages?order=desc&limit=1").get(0)
                        .get("role").equals("user"));
        String run = (String) RunFixtures.list(org, "/v1/threads/" + thread + "/runs").get(0).get("id");
        Map<String, Object> cancelling = Api.json(as(org).post("/v1/threads/" + thread + "/runs/" + run + "/cancel")
                .then().statusCode(200).extract().response());
        assertTrue(Set.of("cancelling", "cancelled").contains(cancelling.get("status")), cancelling.toString());
        List<RunFixtures.Event> events = RunFixtures.events(stream.get(20, java.util.concurrent.TimeUnit.SECONDS));
        List<String> names = RunFixtures.names(events);
        assertEquals(List.of("thread.run.step.cancelled", "thread.run.cancelled", "done"),
                names.subList(names.size() - 3, names.size()), names.toString());
        Map<String, Object> cancelled = RunFixtures.get(org, thread, run);
        assertEquals("cancelled", cancelled.get("status"));
        assertNotNull(cancelled.get("cancelled_at"));
        Map<String, Object> message = RunFixtures.list(org, "/v1/threads/" + thread + "/messages?run_id=" + run).get(0);
        assertEquals("incomplete", message.get("status"));
        assertEquals(Map.of("reason", "run_cancelled"), message.get("incomplete_details"));
        assertEquals("cancelled", RunFixtures.list(org, "/v1/threads/" + thread + "/runs/" + run + "/steps").get(0)
                .get("status"));
    }

    @Test
    void upstreamFaultsFailTheRunWithTheirCode() {
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b"));
        record Fault(List<Reply> replies, int requests, String code, String message) {
        }
        List<Fault> faults = List.of(
                new Fault(List.of(Reply.error(500, "boom", Map.of()), Reply.error(502, "bad gateway", Map.of()),
                        Reply.error(503, "overloaded", Map.of())), 3, "server_error",
                        "The model server failed (503): overloaded."),
                new Fault(List.of(Reply.error(400, "prompt too long", Map.of())), 1, "invalid_prompt",
                        "The model server refused the prompt (400): prompt too long."),
                new Fault(List.of(Reply.error(429, "slow down", Map.of("retry-after", "0.05")),
                        Reply.error(429, "slow down", Map.of("retry-after", "0.05")),
                        Reply.error(429, "still too fast", Map.of("retry-after", "0.05"))), 3, "rate_limit_exceeded",
                        "The model server is rate limiting requests (429): still too fast."),
                new Fault(List.of(Reply.bareError(404, "model \"llama3.1:8b\" not found, try pulling it first")), 1,
                        "server_error", "The model server refused the request (404): model \"llama3.1:8b\" not found,"
                                + " try pulling it first."),
                new Fault(List.of(Reply.hang(5_000)), 1, "server_error",
                        "The model server sent nothing for 2 s; the request was abandoned."),
                new Fault(List.of(Reply.text("half", " an", " answer").cutAfter(3)), 1, "server_error",
                        "The model server's stream ended before the answer was complete."));
        for (Fault fault : faults) {
            FakeChatUpstream.reset();
            FakeChatUpstream.SCRIPT.addAll(fault.replies());
            String thread = RunFixtures.thread(org, "Hi");
            String run = (String) RunFixtures.create(org, thread, Map.of("assistant_id", assistant)).get("id");
            Map<String, Object> failed = RunFixtures.await(org, thread, run, RunFixtures.TERMINAL);
            assertEquals("failed", failed.get("status"), fault.toString());
            assertEquals(Map.of("code", fault.code(), "message", fault.message()), failed.get("last_error"));
            assertNotNull(failed.get("failed_at"));
            assertEquals(fault.requests(), FakeChatUpstream.REQUESTS.size(), fault.toString());
        }
        // a 429 with retry-after, then an answer: the run completes after one retry
        FakeChatUpstream.reset();
        FakeChatUpstream.SCRIPT.add(Reply.error(429, "slow down", Map.of("retry-after", "0.1")));
        String thread = RunFixtures.thread(org, "Hi");
        String run = (String) RunFixtures.create(org, thread, Map.of("assistant_id", assistant)).get("id");
        assertEquals("completed", RunFixtures.await(org, thread, run, RunFixtures.TERMINAL).get("status"));
        assertEquals(2, FakeChatUpstream.REQUESTS.size());
    }

    @Test
    void eachModelReachesTheUpstreamItsCatalogEntryNames() {
        // keyed-model: the default server, with the API key configured as meridian.chat.credentials.team-a
        String keyed = RunFixtures.assistant(org, Map.of("model", "keyed-model"));
        String thread = RunFixtures.thread(org, "Hi");
        String run = (String) RunFixtures.create(org, thread, Map.of("assistant_id", keyed)).get("id");
        assertEquals("completed", RunFixtures.await(org, thread, run, RunFixtures.TERMINAL).get("status"));
        assertEquals(List.of("Bearer sk-team-a"), FakeChatUpstream.AUTHORIZATIONS);
        assertEquals("keyed", FakeChatUpstream.REQUESTS.get(0).get("model").asText());

        // unkeyed-model names a credential this server does not have: refused before any request leaves
        FakeChatUpstream.reset();
        String unkeyed = RunFixtures.assistant(org, Map.of("model", "unkeyed-model"));
        thread = RunFixtures.thread(org, "Hi");
        run = (String) RunFixtures.create(org, thread, Map.of("assistant_id", unkeyed)).get("id");
        Map<String, Object> failed = RunFixtures.await(org, thread, run, RunFixtures.TERMINAL);
        assertEquals(Map.of("code", "server_error", "message", "The model's upstream credential 'team-b' is not"
                + " configured on this server (meridian.chat.credentials.team-b)."), failed.get("last_error"));
        assertEquals(List.of(), FakeChatUpstream.REQUESTS);

        // unreachable-model is bound to its own server, which refuses connections: the default one is not asked
        String elsewhere = RunFixtures.assistant(org, Map.of("model", "unreachable-model"));
        thread = RunFixtures.thread(org, "Hi");
        run = (String) RunFixtures.create(org, thread, Map.of("assistant_id", elsewhere)).get("id");
        failed = RunFixtures.await(org, thread, run, RunFixtures.TERMINAL);
        assertEquals(Map.of("code", "server_error", "message", "The model server could not be reached."),
                failed.get("last_error"));
        assertEquals(List.of(), FakeChatUpstream.REQUESTS);
    }

    @Test
    void tokenLimitEndsIncomplete() {
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b"));
        String thread = RunFixtures.thread(org, "Write a lot");
        FakeChatUpstream.SCRIPT.add(Reply.ending("length", "A", " very", " long"));
        String run = (String) RunFixtures.create(org, thread, Map.of("assistant_id", assistant,
                "max_completion_tokens", 256)).get("id");
        Map<String, Object> incomplete = RunFixtures.await(org, thread, run, RunFixtures.TERMINAL);
        assertEquals("incomplete", incomplete.get("status"));
        assertEquals(Map.of("reason", "max_completion_tokens"), incomplete.get("incomplete_details"));
        assertEquals(256, FakeChatUpstream.REQUESTS.get(0).get("max_tokens").asInt());
        Map<String, Object> message = RunFixtures.list(org, "/v1/threads/" + thread + "/messages?run_id=" + run).get(0);
        assertEquals("incomplete", message.get("status"));
        assertEquals(Map.of("reason", "max_tokens"), message.get("incomplete_details"));
        assertEquals(List.of(Map.of("type", "text", "text", Map.of("value", "A very long", "annotations", List.of()))),
                message.get("content"));
    }

    @Test
    void maxPromptTokensTruncatesTheThreadThenEndsIncomplete() {
        String words = "word ".repeat(80).strip();
        String upstream = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b"));
        String thread = RunFixtures.thread(org, "oldest " + words);
        as(org).body(Map.of("role", "user", "content", "middle " + words)).post("/v1/threads/" + thread + "/messages")
                .then().statusCode(200);
        as(org).body(Map.of("role", "user", "content", "newest " + words)).post("/v1/threads/" + thread + "/messages")
                .then().statusCode(200);
        // auto truncation fits the estimate (4 characters of each message's JSON a token) to 256 tokens: two
        // messages of about 440 characters fit in 1,024, three do not, so the oldest goes
        String run = (String) RunFixtures.create(org, thread, Map.of("assistant_id", upstream, "max_prompt_tokens", 256))
                .get("id");
        assertEquals("completed", RunFixtures.await(org, thread, run, RunFixtures.TERMINAL).get("status"));
        List<String> sent = new ArrayList<>();
        FakeChatUpstream.REQUESTS.get(0).get("messages").forEach(m -> sent.add(m.get("content").asText().split(" ")[0]));
        assertEquals(List.of("middle", "newest"), sent);

        // the builtin engine counts words: a newest message of 301 alone is over the limit once counted
        String builtin = RunFixtures.assistant(org, Map.of("model", "gpt-4o"));
        String big = RunFixtures.thread(org, "huge " + "word ".repeat(300).strip());
        String over = (String) RunFixtures.create(org, big, Map.of("assistant_id", builtin, "max_prompt_tokens", 256))
                .get("id");
        Map<String, Object> incomplete = RunFixtures.await(org, big, over, RunFixtures.TERMINAL);
        assertEquals("incomplete", incomplete.get("status"));
        assertEquals(Map.of("reason", "max_prompt_tokens"), incomplete.get("incomplete_details"));
        assertEquals(301, ((Map<?, ?>) incomplete.get("usage")).get("prompt_tokens"));
    }

    @Test
    void runWaitingForToolOutputsExpires() {
        String assistant = RunFixtures.assistant(org, Map.of("model", "gpt-4o", "tools", List.of(RunFixtures.WEATHER)));
        String thread = RunFixtures.thread(org, "get_weather please");
        String run = (String) RunFixtures.create(org, thread, Map.of("assistant_id", assistant)).get("id");
        assertEquals("requires_action", RunFixtures.awaitEnd(org, thread, run).get("status"));
        Map<String, Object> expired = RunFixtures.await(org, thread, run, Set.of("expired"));
        assertNull(expired.get("required_action"));
        Map<String, Object> step = RunFixtures.list(org, "/v1/threads/" + thread + "/runs/" + run + "/steps").get(0);
        assertEquals("expired", step.get("status"));
        assertNotNull(step.get("expired_at"));
    }

    @Test
    void createThreadAndRunStreamsTheThreadFirst() throws Exception {
        String assistant = RunFixtures.assistant(org, Map.of("model", "gpt-4o"));
        String body = as(org).body(Map.of("assistant_id", assistant, "stream", true, "thread", Map.of("messages",
                List.of(Map.of("role", "user", "content", "Ping")), "metadata", Map.of("from", "test"))))
                .post("/v1/threads/runs").then().statusCode(200).extract().asString();
        List<RunFixtures.Event> events = RunFixtures.events(body);
        assertEquals(List.of("thread.created", "thread.run.created", "thread.run.queued", "thread.run.in_progress",
                "thread.run.step.created", "thread.run.step.in_progress", "thread.message.created",
                "thread.message.in_progress", "thread.message.delta", "thread.message.delta", "thread.message.delta",
                "thread.message.completed", "thread.run.step.completed", "thread.run.completed", "done"),
                RunFixtures.names(events));
        String thread = events.get(0).data().get("id").asText();
        assertEquals("{\"from\":\"test\"}", events.get(0).data().get("metadata").toString());
        assertEquals(thread, events.get(1).data().get("thread_id").asText());
        assertEquals(List.of(Map.of("type", "text", "text", Map.of("value", "You said: Ping", "annotations", List.of()))),
                RunFixtures.list(org, "/v1/threads/" + thread + "/messages").get(0).get("content"));
        RunFixtures.refused(as(org).body(Map.of("assistant_id", assistant, "thread", Map.of("messages",
                List.of(Map.of("role", "user"))))).post("/v1/threads/runs"), "thread.messages[0].content",
                "Missing required parameter: 'thread.messages[0].content'.");
    }
}
