package dev.meridian.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.meridian.e2e.SteadyLoad.Answer;

/**
 * Fault drills against the running stack, each under steady load through the edge, with exact counts at the end
 * (docs/reliability.md). {@code ./mvnw verify} runs them with short outages; {@code bench/faults.sh} runs the long
 * ones (a 60 s Kafka outage, a 10-minute soak). Each drill stops one part with {@code stack.sh stop} and starts it
 * again with {@code stack.sh start}, so the stack is whole again when it ends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration KAFKA_OUTAGE = Duration.parse(System.getProperty("faults.kafka-outage", "PT15S"));
    private static final Duration SOAK = Duration.parse(System.getProperty("faults.soak", "PT45S"));
    /** Requests a second of the drills' load. */
    private static final int RATE = Integer.getInteger("faults.rate", 20);
    /** The sweep fails a run whose replica died within lease + sweep interval (runs.md: 17 s); the margin is polling. */
    private static final Duration RUN_TAKEOVER = Duration.ofSeconds(17 + 5);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String member = Stack.token("member");
    /** Marks what this run of the drills created, to find its events among everyone's. */
    private final String tag = "faults-" + UUID.randomUUID().toString().substring(0, 8);

    /** Loads this test started: a drill that fails half-way must not leave its load running into the next one. */
    private final List<SteadyLoad> loads = new ArrayList<>();

    private SteadyLoad load(int rate, LongFunction<HttpRequest> requests) {
        SteadyLoad load = new SteadyLoad(rate, requests);
        loads.add(load);
        return load;
    }

    @AfterEach
    void stopLoads() {
        loads.forEach(SteadyLoad::close);
    }

    @AfterAll
    static void everyPartIsUpAgain() {
        // a drill that failed half-way may have left its part stopped: the later test classes need the whole stack
        for (String part : List.of("postgres", "kafka", "keycloak", "moderation-service", "edge")) {
            if (!Stack.alive(part)) {
                Stack.script("start", part);
            }
        }
    }

    @Test
    @Order(1)
    void kafkaOutageDelaysEventsAndLosesNone() throws Exception {
        SteadyLoad load = load(RATE, this::createAssistant);
        sleep(Duration.ofSeconds(3));
        Stack.script("stop", "kafka");
        double stoppedAt = load.elapsedSeconds();
        // the backlog shows in the metrics while Kafka is away
        long deadline = System.nanoTime() + KAFKA_OUTAGE.toNanos();
        double maxPending = 0;
        double maxAge = 0;
        while (System.nanoTime() < deadline) {
            Map<String, Double> metrics = Stack.metrics("assistants-service");
            maxPending = Math.max(maxPending, metrics.getOrDefault("meridian_outbox_pending", 0.0));
            maxAge = Math.max(maxAge, metrics.getOrDefault("meridian_outbox_oldest_pending_age_seconds", 0.0));
            sleep(Duration.ofSeconds(1));
        }
        Stack.script("start", "kafka");
        double restartedAt = load.elapsedSeconds();
        // the backlog drains while the load goes on
        Stack.awaitMetric("assistants-service", "meridian_outbox_pending", 0.0, Duration.ofSeconds(120));
        double drainSeconds = load.elapsedSeconds() - restartedAt;
        sleep(Duration.ofSeconds(5));
        List<Answer> answers = load.stop();

        assertEquals(List.of(), SteadyLoad.problems(answers));
        assertEquals(Map.of(200, answers.size()), SteadyLoad.statuses(answers), "writes go on while Kafka is away");
        assertTrue(maxPending >= RATE * (KAFKA_OUTAGE.toSeconds() - 3), "pending events seen " + maxPending);
        assertTrue(maxAge >= KAFKA_OUTAGE.toSeconds() - 3, "oldest pending age seen " + maxAge);
        Stack.awaitMetric("assistants-service", "meridian_outbox_pending", 0.0, Duration.ofSeconds(60));

        Set<String> accepted = ids(answers);
        assertEquals(answers.size(), accepted.size());
        Map<String, EventLog.Deliveries> log = EventLog.read(Stack.kafkaBootstrap(), "meridian.assistants",
                "meridian.assistant.created");
        assertEquals("0 without an event, 0 with more than one distinct ce_id", EventLog.mismatches(log, accepted));
        assertEquals(0, ofThisRun(log).stream().filter(id -> !accepted.contains(id)).count(),
                "events of assistants no caller was told about");
        assertEquals(accepted.size(), existing("/v1/assistants/", accepted), "rows of the accepted writes");
        long redelivered = accepted.stream().mapToLong(id -> log.get(id).ceIds().size() - 1).sum();
        report("kafka outage", answers, String.format(
                "Kafka stopped at %.1f s for %d s; pending up to %.0f, oldest %.0f s; backlog drained %.1f s after"
                        + " Kafka was back; %d writes, %d events (%d redelivered), 0 lost",
                stoppedAt, Math.round(restartedAt - stoppedAt), maxPending, maxAge, drainSeconds, accepted.size(),
                accepted.size(), redelivered));
    }

    @Test
    @Order(2)
    void postgresRestartFailsFastAndRecoversWithoutHalfWrites() throws Exception {
        SteadyLoad load = load(RATE, this::createAssistant);
        sleep(Duration.ofSeconds(3));
        Stack.script("stop", "postgres");
        double stoppedAt = load.elapsedSeconds();
        sleep(Duration.ofSeconds(5));
        Stack.script("start", "postgres");
        double restartedAt = load.elapsedSeconds();
        sleep(Duration.ofSeconds(10));
        List<Answer> answers = load.stop();

        assertEquals(List.of(), SteadyLoad.problems(answers), "every answer in time, every error an envelope");
        Map<Integer, Integer> statuses = SteadyLoad.statuses(answers);
        assertEquals(Set.of(200, 503), statuses.keySet(), "only successes and 503s: " + statuses);
        assertEquals(List.of(), answers.stream().filter(a -> a.status() == 503 && !"1".equals(a.retryAfter()))
                .map(Answer::sequence).toList(), "503s carry retry-after: 1");
        double recovered = lastFailureAfterStart(load, answers, restartedAt);
        assertTrue(recovered < 5, "recovered " + recovered + " s after PostgreSQL was back, not 5");
        // services that sat idle through the restart hold only dead connections: their first request still succeeds
        HttpResponse<String> moderation = http.send(post("/v1/moderations", "{\"input\":\"after the restart\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, moderation.statusCode(), moderation.body());
        HttpResponse<String> projects = http.send(get("/v1/organization/projects?limit=1", Stack.token("owner")),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, projects.statusCode(), projects.body());

        Set<String> accepted = ids(answers);
        Stack.awaitMetric("assistants-service", "meridian_outbox_pending", 0.0, Duration.ofSeconds(60));
        Map<String, EventLog.Deliveries> log = EventLog.read(Stack.kafkaBootstrap(), "meridian.assistants",
                "meridian.assistant.created");
        assertEquals("0 without an event, 0 with more than one distinct ce_id", EventLog.mismatches(log, accepted));
        assertEquals(accepted.size(), existing("/v1/assistants/", accepted), "rows of the accepted writes");
        // an event no caller was told about is a write that committed while its answer was lost: its row must exist
        Set<String> untold = new HashSet<>(ofThisRun(log));
        untold.removeAll(accepted);
        assertEquals(untold.size(), existing("/v1/assistants/", untold), "rows of events without an answer");
        report("postgres restart", answers, String.format(
                "PostgreSQL stopped at %.1f s, back at %.1f s; last failure %.1f s after it was back; %d writes"
                        + " committed with their events, %d committed but answered with an error; no half-writes",
                stoppedAt, restartedAt, recovered, accepted.size(), untold.size()));
    }

    @Test
    @Order(3)
    void moderationOutageRefusesClearlyAndRecovers() throws Exception {
        raiseLimits("omni-moderation-latest");
        SteadyLoad load = load(RATE, n -> post("/v1/moderations",
                "{\"input\":\"a quiet walk along the river " + n + "\"}"));
        sleep(Duration.ofSeconds(3));
        double stoppedAt = load.elapsedSeconds();
        Stack.script("stop", "moderation-service");
        // images never generates unchecked: generation is refused while moderation is away
        HttpResponse<String> generation = http.send(post("/v1/images/generations",
                "{\"prompt\":\"a lighthouse at dusk\",\"model\":\"dall-e-2\",\"size\":\"256x256\"}"),
                HttpResponse.BodyHandlers.ofString());
        sleep(Duration.ofSeconds(3));
        Stack.script("start", "moderation-service");
        double restartedAt = load.elapsedSeconds();
        sleep(Duration.ofSeconds(5));
        List<Answer> answers = load.stop();
        HttpResponse<String> after = http.send(post("/v1/images/generations",
                "{\"prompt\":\"a lighthouse at dusk\",\"model\":\"dall-e-2\",\"size\":\"256x256\"}"),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(503, generation.statusCode(), generation.body());
        JsonNode error = JSON.readTree(generation.body()).get("error");
        assertEquals("server_error", error.get("type").asText());
        assertTrue(error.get("message").asText().toLowerCase().contains("moderation"), error.toString());
        assertEquals(200, after.statusCode(), after.body());

        assertEquals(List.of(), SteadyLoad.problems(answers));
        assertEquals(Set.of(200, 503), SteadyLoad.statuses(answers).keySet(), "" + SteadyLoad.statuses(answers));
        assertEquals(List.of(), answers.stream().filter(a -> a.status() != 200 && sentAt(load, a) < stoppedAt)
                .toList(), "all answered before the stop");
        double recovered = lastFailureAfterStart(load, answers, restartedAt);
        assertTrue(recovered < 3, "recovered " + recovered + " s after moderation-service was back");
        report("moderation-service down", answers, String.format(
                "stopped at %.1f s, back at %.1f s; generation refused with 503 meanwhile, generated after", stoppedAt,
                restartedAt));
    }

    @Test
    @Order(4)
    void keycloakOutageKeepsKnownKeysWorking() throws Exception {
        // a token Keycloak issued but no service has seen: it is verified with the signing keys the services hold
        String fresh = Stack.freshToken("member");
        Stack.script("stop", "keycloak");
        try {
            SteadyLoad load = load(RATE, n -> n % 2 == 0 ? get("/v1/models", fresh)
                    : createAssistant(n, fresh));
            sleep(Duration.ofSeconds(10));
            List<Answer> answers = load.stop();
            assertEquals(List.of(), SteadyLoad.problems(answers));
            assertEquals(Map.of(200, answers.size()), SteadyLoad.statuses(answers));
            // a new login fails, clearly: Keycloak is what is down
            IllegalStateException login = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> Stack.freshToken("member"));
            assertTrue(login.getMessage().contains("token"), login.getMessage());
            report("keycloak down", answers, "a token issued before the outage, unseen by the services, kept working");
        } finally {
            Stack.script("start", "keycloak");
        }
    }

    @Test
    @Order(5)
    void aKilledReplicaIsRoutedAroundAndItsRunsFailInTime() throws Exception {
        String replica = Stack.replica("assistants-service");
        String replicaName = Stack.replicaName("assistants-service", replica);
        Stack.script("stop", "edge");
        Stack.script("start", "edge");
        try (SlowChatServer slow = new SlowChatServer()) {
            String model = tag + "-slow";
            registerChatModel(model, slow.baseUrl());
            String assistant = idOf(http.send(post(replica + "/v1/assistants", "{\"model\":\"" + model + "\"}",
                    member), HttpResponse.BodyHandlers.ofString()));
            String thread = idOf(http.send(post(replica + "/v1/threads",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}", member),
                    HttpResponse.BodyHandlers.ofString()));
            // created on the replica, so executed there: it waits on the slow server until the replica dies
            String run = idOf(http.send(post(replica + "/v1/threads/" + thread + "/runs",
                    "{\"assistant_id\":\"" + assistant + "\"}", member), HttpResponse.BodyHandlers.ofString()));
            assertTrue(slow.called.await(20, TimeUnit.SECONDS), "the run reached the model server");

            SteadyLoad load = load(RATE, n -> n % 2 == 0 ? createAssistant(n)
                    : get("/v1/assistants?limit=5", member));
            sleep(Duration.ofSeconds(3));
            long killed = System.nanoTime();
            double killedAt = load.elapsedSeconds();
            Stack.script("stop", replicaName, "--kill");
            sleep(Duration.ofSeconds(8));
            List<Answer> answers = load.stop();

            assertEquals(List.of(), SteadyLoad.problems(answers), "no hang, every error an envelope");
            Map<Integer, Integer> statuses = SteadyLoad.statuses(answers);
            assertTrue(Set.of(200, 503).containsAll(statuses.keySet()), "" + statuses);
            assertEquals(List.of(), answers.stream().filter(a -> a.status() != 200 && sentAt(load, a) > killedAt + 1)
                    .map(Answer::sequence).toList(), "routed around the dead replica a second after the kill");

            JsonNode lastRun;
            do {
                sleep(Duration.ofMillis(500));
                lastRun = JSON.readTree(http.send(get("/v1/threads/" + thread + "/runs/" + run, member),
                        HttpResponse.BodyHandlers.ofString()).body());
            } while (!"failed".equals(lastRun.path("status").asText())
                    && System.nanoTime() - killed < RUN_TAKEOVER.toNanos());
            double failedAfter = (System.nanoTime() - killed) / 1e9;
            assertEquals("failed", lastRun.path("status").asText(), lastRun.toString());
            assertEquals("server_error", lastRun.path("last_error").path("code").asText());
            assertNotEquals(0, lastRun.path("failed_at").asLong());
            report("replica killed", answers, String.format("assistants-service replica killed (-9) at %.1f s;"
                    + " its in-progress run failed %.1f s after the kill command (lease 15 s + sweep 2 s)", killedAt,
                    failedAfter));
        }
    }

    @Test
    @Order(6)
    void soakAtSeventyPercentOfTheMeasuredMaximum() throws Exception {
        raiseLimits("omni-moderation-latest");
        LongFunction<HttpRequest> mix = n -> switch ((int) (n % 4)) {
            case 0 -> get("/v1/models", member);
            case 1 -> createAssistant(n);
            case 2 -> get("/v1/assistants?limit=20", member);
            default -> post("/v1/moderations", "{\"input\":\"soak text number " + n + "\"}");
        };
        double maximum = Stack.closedLoopRate(mix, 16, Duration.ofSeconds(10));
        int rate = (int) Math.max(1, Math.round(maximum * 0.7));
        List<String> parts = List.of("models-service", "assistants-service", "moderation-service", "edge");
        // a third of the soak warms up (JIT, pools); the live heap is taken then, and sampling starts 5 s later, so
        // that the pause of that full collection and the pools' answer to it fall outside the compared samples
        SteadyLoad load = load(rate, mix);
        sleep(SOAK.dividedBy(3));
        Map<String, Double> warmHeap = Stack.liveHeap(parts);
        sleep(Duration.ofSeconds(5));
        List<Map<String, Double>> samples = new ArrayList<>();
        long end = System.nanoTime() + SOAK.minus(SOAK.dividedBy(3)).minusSeconds(5).toNanos();
        while (System.nanoTime() < end) {
            samples.add(Stack.processSample(parts));
            sleep(Duration.ofSeconds(Math.max(1, SOAK.toSeconds() / 60)));
        }
        List<Answer> answers = load.stop();
        Map<String, Double> endHeap = Stack.liveHeap(parts);
        assertEquals(List.of(), SteadyLoad.problems(answers));
        assertEquals(Map.of(200, answers.size()), SteadyLoad.statuses(answers), "zero errors");
        // after warm-up, no growth: threads and sockets at most a few more, RSS and the live heap within 10 % (+16 MB)
        String growth = Stack.growth(samples, warmHeap, endHeap, parts);
        report("soak", answers, String.format("%.0f req/s measured maximum of the mix, soaked at %d req/s for %d s; %s",
                maximum, rate, SOAK.toSeconds(), growth));
        assertTrue(growth.startsWith("flat"), growth);
    }

    // ------------------------------------------------------------------ helpers

    private HttpRequest createAssistant(long n) {
        return createAssistant(n, member);
    }

    private HttpRequest createAssistant(long n, String token) {
        return post("/v1/assistants", "{\"model\":\"gpt-4o\",\"name\":\"" + tag + "-" + n + "\"}", token);
    }

    private HttpRequest post(String path, String body) {
        return post(path, body, member);
    }

    private static HttpRequest post(String path, String body, String token) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("OpenAI-Beta", "assistants=v2").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpRequest get(String path, String token) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("OpenAI-Beta", "assistants=v2").GET().build();
    }

    private static URI uri(String path) {
        return URI.create(path.startsWith("http") ? path : Stack.baseUrl().replace("/v1", "") + path);
    }

    private static String idOf(HttpResponse<String> response) throws IOException {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("id").asText();
    }

    private static Set<String> ids(List<Answer> answers) {
        Set<String> ids = new HashSet<>();
        answers.stream().filter(a -> a.status() == 200).forEach(a -> ids.add(a.id()));
        return ids;
    }

    /** The ids among the log's events that this run of the drills created (their name carries the tag). */
    private Set<String> ofThisRun(Map<String, EventLog.Deliveries> log) {
        Set<String> ids = new HashSet<>();
        log.values().stream().filter(d -> d.lastValue().contains("\"" + tag + "-")).forEach(d -> ids.add(d.key()));
        return ids;
    }

    /** How many of {@code ids} answer 200 at {@code prefix + id}. */
    private long existing(String prefix, Set<String> ids) throws Exception {
        long found = 0;
        for (String id : ids) {
            if (http.send(get(prefix + id, member), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                found++;
            }
        }
        return found;
    }

    private static double sentAt(SteadyLoad load, Answer answer) {
        return load.secondsAt(answer.sentAtNanos());
    }

    /** Seconds from {@code startedAt} (load time) to the last request sent after it that did not succeed (0 if none). */
    private static double lastFailureAfterStart(SteadyLoad load, List<Answer> answers, double startedAt) {
        Predicate<Answer> failedAfter = a -> a.status() != 200 && sentAt(load, a) >= startedAt;
        return answers.stream().filter(failedAfter).mapToDouble(a -> sentAt(load, a) - startedAt).max().orElse(0);
    }

    private void raiseLimits(String model) throws Exception {
        String owner = Stack.token("owner");
        JsonNode projects = JSON.readTree(http.send(get("/v1/organization/projects?limit=1", owner),
                HttpResponse.BodyHandlers.ofString()).body());
        String project = projects.get("data").get(0).get("id").asText();
        HttpResponse<String> raised = http.send(post("/v1/organization/projects/" + project + "/rate_limits/rl-"
                + model, "{\"max_requests_per_1_minute\":1000000}", owner), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, raised.statusCode(), raised.body());
        sleep(Duration.ofMillis(1_200)); // a change applies on every replica within a second
    }

    private void registerChatModel(String id, String baseUrl) throws Exception {
        HttpResponse<String> created = http.send(post("/admin/v1/models", "{\"id\":\"" + id + "\",\"capability\":"
                + "\"chat\",\"engine\":\"openai-compatible\",\"upstream_base_url\":\"" + baseUrl + "\"}",
                Stack.token("owner")), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
    }

    private static void report(String drill, List<Answer> answers, String detail) {
        long slowest = answers.stream().mapToLong(Answer::millis).max().orElse(0);
        long slowestFailure = answers.stream().filter(a -> a.status() != 200).mapToLong(Answer::millis).max().orElse(0);
        System.out.printf("FaultsIT %s: %d requests, statuses %s, slowest answer %d ms (of failures %d ms); %s%n", drill,
                answers.size(), SteadyLoad.statuses(answers), slowest, slowestFailure, detail);
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    /**
     * A chat-completions server that accepts a streamed request, sends its headers and one role chunk, and then
     * says nothing more: a model that is still thinking when its caller dies.
     */
    private static final class SlowChatServer implements AutoCloseable {

        final CountDownLatch called = new CountDownLatch(1);
        private final HttpServer server;
        private final CountDownLatch release = new CountDownLatch(1);

        SlowChatServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/v1/chat/completions", exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("content-type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write(("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                        + "\"model\":\"slow\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                called.countDown();
                try {
                    release.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            });
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
        }
    }
}
