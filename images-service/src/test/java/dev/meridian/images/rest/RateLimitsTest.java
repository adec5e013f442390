package dev.meridian.images.rest;

import static dev.meridian.testsupport.Envelopes.error;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.meridian.common.security.Projects;
import dev.meridian.ratelimit.Limits;
import dev.meridian.testsupport.AdminStub;
import dev.meridian.testsupport.InjectKafka;
import dev.meridian.testsupport.KafkaBroker;
import dev.meridian.testsupport.Tokens;
import io.agroal.api.AgroalDataSource;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/** A project's limits for an image model: requests and images a minute, OpenAI's headers and 429. */
@QuarkusTest
class RateLimitsTest {

    @InjectKafka
    KafkaBroker kafka;

    static Response generate(String org, int n) {
        return given().auth().oauth2(Tokens.member(org)).contentType(ContentType.JSON)
                .body(Map.of("prompt", "a lighthouse", "model", "dall-e-2", "size", "256x256", "n", n,
                        "response_format", "b64_json"))
                .post("/v1/images/generations");
    }

    static String org() {
        return "org-rl-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void requestsAMinuteCountDownThenAreRefusedWithOpenAIs429() {
        String org = org();
        String project = Projects.defaultFor(org);
        AdminStub.limits(project, "dall-e-2", 3, 1_000_000, 1000);
        for (int remaining = 2; remaining >= 0; remaining--) {
            Response admitted = generate(org, 1);
            assertEquals(200, admitted.statusCode(), admitted.asString());
            assertEquals("3", admitted.header("x-ratelimit-limit-requests"));
            assertEquals(Integer.toString(remaining), admitted.header("x-ratelimit-remaining-requests"));
            assertTrue(admitted.header("x-ratelimit-reset-requests").matches("\\d+(\\.\\d+)?m?s|\\d+m\\d+(\\.\\d+)?s"),
                    admitted.header("x-ratelimit-reset-requests"));
            assertEquals("1000000", admitted.header("x-ratelimit-limit-tokens"));
        }
        Response refused = generate(org, 1);
        assertEquals(429, refused.statusCode());
        assertEquals("0", refused.header("x-ratelimit-remaining-requests"));
        int retryAfter = Integer.parseInt(refused.header("retry-after"));
        assertTrue(retryAfter >= 1 && retryAfter <= 20, "one request comes back every 20 s: " + retryAfter);
        Map<String, Object> body = refused.as(Map.class);
        String message = (String) ((Map<String, Object>) body.get("error")).get("message");
        assertTrue(message.matches("Rate limit reached for dall-e-2 in project " + project + " on requests per min \\(RPM\\):"
                + " Limit 3, Used 3, Requested 1\\. Please try again in [0-9.]+s\\."), message);
        assertEquals(error(message, "requests", null, "rate_limit_exceeded"), body);
    }

    @Test
    void concurrentFirstRequestsAdmitExactlyTheLimit() throws Exception {
        String org = org();
        AdminStub.limits(Projects.defaultFor(org), "dall-e-2", 5, 1_000_000, 1000);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            answers.add(pool.submit(() -> generate(org, 1).statusCode()));
        }
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<Integer> answer : answers) {
            statuses.add(answer.get());
        }
        pool.shutdown();
        assertEquals(5, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
    }

    @Inject
    AgroalDataSource dataSource;

    /**
     * A large limit is admitted from the replica's own copy of the bucket and settled with PostgreSQL in the
     * background: another replica (here a second Bucket4j client that always reads the table) sees what was admitted
     * within the settle time, and the admitting requests never wait for it.
     */
    @Test
    void aLargeLimitIsSettledWithTheSharedBucketInTheBackground() {
        String org = org();
        String project = Projects.defaultFor(org);
        // 100 a minute: a replica may admit two on its own before settling
        AdminStub.limits(project, "dall-e-2", 100, 1_000_000, 1000);
        long started = System.nanoTime();
        for (int i = 0; i < 25; i++) {
            assertEquals(200, generate(org, 1).statusCode());
        }
        var otherReplica = otherReplica(project, 100);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            // full is 100; 25 were taken, and one a 600 ms came back since the first
            long refilled = (System.nanoTime() - started) / 600_000_000L + 1;
            long available = otherReplica.getAvailableTokens();
            assertTrue(available <= 100 - 25 + refilled, "shared bucket shows " + available + " of 100 available");
        });
    }

    /**
     * What other replicas admitted reaches this replica's copy at its next settle: after another replica (a second
     * client of the table) took 90 of 100, this replica admits about the 9 left, give or take its unsettled share (2)
     * and what a minute refills meanwhile, not the 99 its copy last showed.
     */
    @Test
    void aReplicasCopyLearnsWhatTheOthersAdmitted() throws Exception {
        String org = org();
        String project = Projects.defaultFor(org);
        AdminStub.limits(project, "dall-e-2", 100, 1_000_000, 1000);
        assertEquals(200, generate(org, 1).statusCode());
        otherReplica(project, 100).consumeIgnoringRateLimits(90);
        Thread.sleep(600); // the replica's copy is now older than unsynchronized-time
        int admitted = 0;
        for (int i = 0; i < 25; i++) {
            if (generate(org, 1).statusCode() == 200) {
                admitted++;
            }
        }
        assertTrue(admitted >= 8 && admitted <= 14, "admitted " + admitted + " of the 9 left");
    }

    @Test
    void aDailyLimitRefusesWithItsOwnWording() {
        String org = org();
        String project = Projects.defaultFor(org);
        AdminStub.limits(project, "dall-e-2", 100, 1_000_000, 1000, 2);
        assertEquals(200, generate(org, 1).statusCode());
        Response second = generate(org, 1);
        assertEquals(200, second.statusCode());
        assertEquals("100", second.header("x-ratelimit-limit-requests"), "the headers are the minute's");
        Response refused = generate(org, 1);
        assertEquals(429, refused.statusCode());
        Map<String, Object> body = refused.as(Map.class);
        String message = (String) ((Map<String, Object>) body.get("error")).get("message");
        assertTrue(message.matches("Rate limit reached for dall-e-2 in project " + project + " on requests per day \\(RPD\\):"
                + " Limit 2, Used 2, Requested 1\\. Please try again in [0-9.ms]+\\."), message);
        assertEquals(error(message, "requests", null, "rate_limit_exceeded"), body);
        assertTrue(Integer.parseInt(refused.header("retry-after")) > 60, "a day's request comes back in 12 h");
    }

    private io.github.bucket4j.distributed.BucketProxy otherReplica(String project, int perMinute) {
        return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource).primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket").idColumn("id").stateColumn("state").build()
                .builder().build(project + "|dall-e-2|requests|" + perMinute + "|60", () -> BucketConfiguration.builder()
                        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1))).build());
    }

    @Test
    void imagesAreCountedByNAndAZeroLimitBlocks() {
        String org = org();
        AdminStub.limits(Projects.defaultFor(org), "dall-e-2", 100, 1_000_000, 5);
        assertEquals(200, generate(org, 4).statusCode());
        Response refused = generate(org, 2);
        assertEquals(429, refused.statusCode());
        assertEquals("images", ((Map<String, Object>) refused.as(Map.class).get("error")).get("type"));
        assertEquals(200, generate(org, 1).statusCode(), "the refused request took nothing");

        String blocked = org();
        AdminStub.limits(Projects.defaultFor(blocked), "dall-e-2", 0, 1_000_000, 5);
        Response zero = generate(blocked, 1);
        assertEquals(429, zero.statusCode());
        assertEquals("60", zero.header("retry-after"));
    }

    @Test
    void aChangedLimitAppliesWithinASecondOfItsEvent() {
        String org = org();
        String project = Projects.defaultFor(org);
        AdminStub.limits(project, "dall-e-2", 1, 1_000_000, 1000);
        assertEquals(200, generate(org, 1).statusCode());
        assertEquals(429, generate(org, 1).statusCode());
        // the replica's consumer takes a moment after start to be assigned its partition: raise the limit until it shows
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            update(project, 2);
            return generate(org, 1).statusCode() == 200;
        });
        update(project, 100);
        long sent = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> "100".equals(generate(org, 1).header("x-ratelimit-limit-requests")));
        assertTrue(System.nanoTime() - sent < Duration.ofSeconds(2).toNanos());
    }

    @Test
    void anAdminServiceOutageIsA503AndItsBreakerSparesCallersTheWait() {
        Map<String, Object> unavailable = error("The rate limits for 'dall-e-2' could not be read because the"
                + " administration service is temporarily unavailable. Please retry your request shortly.", "server_error",
                null, null);
        CircuitBreakerMaintenance.get().resetAll(); // an empty window: the earlier tests' calls succeeded
        AdminStub.down(true);
        try {
            for (int call = 1; call <= 10; call++) { // ten projects whose limits are not known yet: ten failed asks
                Response down = generate(org(), 1);
                assertEquals(503, down.statusCode());
                assertEquals("1", down.header("retry-after"));
                assertEquals(unavailable, down.as(Map.class));
                assertEquals(call < 10 ? CircuitBreakerState.CLOSED : CircuitBreakerState.OPEN,
                        CircuitBreakerMaintenance.get().currentState(Limits.BREAKER));
            }
            AdminStub.down(false);
            int lookups = AdminStub.lookups();
            Response spared = generate(org(), 1);
            assertEquals(503, spared.statusCode());
            assertEquals(unavailable, spared.as(Map.class));
            assertEquals(lookups, AdminStub.lookups(), "an open breaker does not ask admin-service");
        } finally {
            AdminStub.down(false);
            CircuitBreakerMaintenance.get().resetAll();
        }
    }

    private void update(String project, int requestsPerMinute) {
        kafka.send("meridian.projects", project, "{\"project_id\":\"" + project + "\",\"model\":\"dall-e-2\","
                + "\"max_requests_per_1_minute\":" + requestsPerMinute + ",\"max_tokens_per_1_minute\":1000000,"
                + "\"max_images_per_1_minute\":1000,\"max_audio_megabytes_per_1_minute\":null,\"max_requests_per_1_day\":null,"
                + "\"batch_1_day_max_input_tokens\":null}",
                Map.of("ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_source", "/meridian/admin-service",
                        "ce_type", "meridian.rate_limit.updated", "content-type", "application/json"));
    }
}
