package dev.meridian.moderation.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.moderation.builtin.SampleImages;
import dev.meridian.moderation.engine.Taxonomy;
import dev.meridian.testsupport.InjectKafka;
import dev.meridian.testsupport.KafkaBroker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import dev.meridian.moderation.TestImages;
import dev.meridian.moderation.UpstreamModerationStub;
import dev.meridian.moderation.TestTexts;

/**
 * The review by the openai-compatible upstream ({@code meridian.moderation.review.engine=openai-compatible}): the
 * prompt and the image go to it as one multimodal input, its verdict stands, and the built-in engine stands in when
 * it fails. (The stand-in upstream flags text containing "VIOLENT" for violence and nothing else.)
 */
@QuarkusTest
@TestProfile(UpstreamReviewTest.Upstream.class)
class UpstreamReviewTest {

    public static class Upstream implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meridian.moderation.review.engine", "openai-compatible");
        }
    }

    /** Flagged by the stand-in (VIOLENT) and by the built-in engine (the threat). */
    static final String MARKER = TestTexts.THREAT + " VIOLENT";

    @InjectKafka
    KafkaBroker kafka;

    @BeforeEach
    void reset() {
        UpstreamModerationStub.UPSTREAM.reset();
    }

    @Test
    void theUpstreamJudgesThePromptAndTheImageTogetherAndTheBuiltinEngineStandsInWhenItFails() throws Exception {
        String violent = "img_" + UUID.randomUUID();
        String drawing = "img_" + UUID.randomUUID();
        UpstreamModerationStub.generated(violent, SampleImages.GRADIENT_PNG);
        UpstreamModerationStub.generated(drawing, TestImages.STRONG);
        ReviewTest.generated(kafka, UUID.randomUUID().toString(), violent, "a VIOLENT scene", ReviewTest.signedUrl(violent));
        // the built-in engine would flag this image (see ReviewTest); the upstream does not, and its verdict stands
        ReviewTest.generated(kafka, UUID.randomUUID().toString(), drawing, TestTexts.BENIGN,
                ReviewTest.signedUrl(drawing));
        ReviewTest.reviewedSoFar(kafka, MARKER);

        List<ConsumerRecord<String, String>> flagged = ReviewTest.flags(kafka, violent, Duration.ofSeconds(1));
        assertEquals(1, flagged.size());
        assertEquals("{\"image_id\":\"" + violent + "\",\"org_id\":\"org-gen\",\"categories\":[\"violence\"]}",
                flagged.get(0).value());
        assertEquals(List.of(), ReviewTest.flags(kafka, drawing, Duration.ofSeconds(1)));
        ObjectMapper json = new ObjectMapper();
        assertEquals(3, UpstreamModerationStub.UPSTREAM.requests.size(), UpstreamModerationStub.UPSTREAM.requests.toString());
        assertEquals(json.readTree("{\"model\":\"omni-moderation-latest\",\"input\":[{\"type\":\"text\",\"text\":"
                + "\"a VIOLENT scene\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(SampleImages.GRADIENT_PNG) + "\"}}]}"),
                json.readTree(UpstreamModerationStub.UPSTREAM.requests.get(0)));
        assertEquals(List.of("Bearer " + UpstreamModerationStub.API_KEY, "Bearer " + UpstreamModerationStub.API_KEY,
                "Bearer " + UpstreamModerationStub.API_KEY), UpstreamModerationStub.UPSTREAM.authorizations);

        // the upstream fails: the built-in engine reviews at its stricter thresholds
        UpstreamModerationStub.UPSTREAM.reset();
        UpstreamModerationStub.UPSTREAM.down.set(true);
        String threat = "img_" + UUID.randomUUID();
        UpstreamModerationStub.generated(threat, SampleImages.GRADIENT_PNG);
        ReviewTest.generated(kafka, UUID.randomUUID().toString(), threat, TestTexts.THREAT,
                ReviewTest.signedUrl(threat));
        ReviewTest.reviewedSoFar(kafka, MARKER);
        Map<String, Double> scores = TestTexts.CLASSIFIER.scores(TestTexts.THREAT);
        List<String> expected = Taxonomy.ALL.stream()
                .filter(c -> scores.get(c) >= TestTexts.THRESHOLDS.get(c) * ReviewTest.STRICTNESS).toList();
        assertTrue(!expected.isEmpty() && !expected.contains("sexual"), expected.toString());
        flagged = ReviewTest.flags(kafka, threat, Duration.ofSeconds(1));
        assertEquals(1, flagged.size());
        assertEquals("{\"image_id\":\"" + threat + "\",\"org_id\":\"org-gen\",\"categories\":[\""
                + String.join("\",\"", expected) + "\"]}", flagged.get(0).value());
        // three attempts (two retries) for the event and three for the marker
        assertEquals(6, UpstreamModerationStub.UPSTREAM.requests.size());
    }
}
