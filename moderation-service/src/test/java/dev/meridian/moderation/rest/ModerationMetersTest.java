package dev.meridian.moderation.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meridian.moderation.engine.Taxonomy;
import dev.meridian.testsupport.PrometheusText;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import dev.meridian.moderation.TestTexts;

/**
 * {@code /q/metrics}: the moderation meters count what the requests did (texts per engine, the texts the cascade sent
 * on to the sentence embedding and its calls, verdicts and flags per model and category), and the outbox's count its
 * events out.
 */
@QuarkusTest
class ModerationMetersTest {

    /** Whether the cascade sends the text on to the sentence embedding: some category reaches the escalation. */
    private static boolean escalated(String text) {
        return TestTexts.CLASSIFIER.fastScores(text).values().stream()
                .anyMatch(score -> score >= ModerationsApiTest.ESCALATION);
    }

    @Test
    void theMetersCountTextsEscalationsVerdictsFlagsAndTheEventOut() throws InterruptedException {
        List<String> texts = List.of(TestTexts.BENIGN, TestTexts.THREAT);
        assertEquals(List.of(false, true), texts.stream().map(ModerationMetersTest::escalated).toList(),
                "the test wants one text that stops at the first stage and one that goes on");
        PrometheusText before = PrometheusText.settled();

        JsonPath answer = ModerationsApiTest.post(Map.of("input", texts)).then().statusCode(200).extract().jsonPath();
        List<Map<String, Boolean>> categories = answer.getList("results.categories");
        assertEquals(List.of(false, true), answer.getList("results.flagged"));

        PrometheusText after = PrometheusText.scrape();
        String model = "omni-moderation-latest";
        assertEquals(2, after.since(before, "meridian_moderation_texts_total", "engine", "builtin"));
        assertEquals(0, after.since(before, "meridian_moderation_texts_total", "engine", "builtin-fast"));
        assertEquals(1, after.since(before, "meridian_moderation_results_total", "flagged", "false", "model", model));
        assertEquals(1, after.since(before, "meridian_moderation_results_total", "flagged", "true", "model", model));
        int flags = 0;
        for (String category : Taxonomy.ALL) {
            double expected = Boolean.TRUE.equals(categories.get(1).get(category)) ? 1 : 0;
            flags += (int) expected;
            assertEquals(expected, after.since(before, "meridian_moderation_flags_total", "category", category,
                    "model", model), category);
            assertEquals(false, categories.get(0).get(category), category);
        }
        assertTrue(flags > 0);
        // the threat alone went on to the sentence embedding, in one call
        assertEquals(1, after.since(before, "meridian_moderation_embedding_texts_total"));
        assertEquals(1, after.since(before, "meridian_moderation_embedding_calls_seconds_count"));
        assertTrue(after.since(before, "meridian_moderation_embedding_calls_seconds_sum") > 0);
        assertEquals(0, after.value("meridian_moderation_embedding_waiting"));
        assertEquals(1, after.since(before, "http_server_requests_seconds_count", "method", "POST", "outcome", "SUCCESS",
                "status", "200", "uri", "/v1/moderations"));
        // the request was admitted once by the rate limiter, whose own CPU time cannot exceed its wall time
        assertEquals(1, after.since(before, "meridian_ratelimit_admit_seconds_count"));
        assertEquals(1, after.since(before, "meridian_ratelimit_admit_cpu_seconds_count"));
        assertTrue(after.since(before, "meridian_ratelimit_admit_cpu_seconds_sum")
                <= after.since(before, "meridian_ratelimit_admit_seconds_sum"));
        // the connection pool's meters are on (the request's outbox row took a connection)
        assertTrue(after.since(before, "agroal_acquire_count_total", "datasource", "default") >= 1);

        // the request's meridian.moderation.completed leaves the outbox: one event published, none pending
        PrometheusText out = PrometheusText.settled();
        assertEquals(1, out.since(before, "meridian_outbox_published_total"));
    }

    @Test
    void builtinFastCountsItsTextsAndNeverCallsTheSentenceEmbedding() throws InterruptedException {
        PrometheusText before = PrometheusText.settled();
        List<Boolean> verdicts = ModerationsApiTest.post(Map.of("model", "fast-moderation", "input",
                List.of(TestTexts.THREAT, TestTexts.BENIGN, "a third text"))).then().statusCode(200)
                .extract().jsonPath().getList("results.flagged");
        long flagged = verdicts.stream().filter(f -> f).count();
        PrometheusText after = PrometheusText.scrape();
        assertEquals(3, after.since(before, "meridian_moderation_texts_total", "engine", "builtin-fast"));
        assertEquals(0, after.since(before, "meridian_moderation_texts_total", "engine", "builtin"));
        assertEquals(0, after.since(before, "meridian_moderation_embedding_texts_total"));
        assertEquals(0, after.since(before, "meridian_moderation_embedding_calls_seconds_count"));
        assertEquals(flagged, after.since(before, "meridian_moderation_results_total", "flagged", "true", "model",
                "fast-moderation"));
        assertEquals(3 - flagged, after.since(before, "meridian_moderation_results_total", "flagged", "false", "model",
                "fast-moderation"));
    }
}
