package dev.meridian.moderation.messaging;

import static dev.meridian.testsupport.KafkaBroker.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.meridian.common.events.Digests;
import dev.meridian.moderation.engine.Taxonomy;
import dev.meridian.testsupport.InjectKafka;
import dev.meridian.testsupport.KafkaBroker;
import dev.meridian.testsupport.PrometheusText;
import io.quarkus.test.junit.QuarkusTest;
import dev.meridian.moderation.TestImages;
import dev.meridian.moderation.UpstreamModerationStub;
import dev.meridian.moderation.TestTexts;

/** meridian.image.generated in, meridian.content.flagged out when the prompt or the image is flagged; once per event id. */
@QuarkusTest
class ReviewTest {

    static final double STRICTNESS = org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("meridian.moderation.review.strictness", Double.class);

    @InjectKafka
    KafkaBroker kafka;

    /** An event as images-service publishes it before it carried a url: only the prompt can be reviewed. */
    private void generated(String eventId, String imageId, String prompt) {
        generated(eventId, imageId, prompt, null);
    }

    private void generated(String eventId, String imageId, String prompt, String url) {
        generated(kafka, eventId, imageId, prompt, url);
    }

    /**
     * An event with a prompt (null for a variation) and a url in images-service's form, signed {@code sig-<id>}: the
     * prompt's text in the event, as images-service wrote events before they carried a prompt URL instead.
     */
    static void generated(KafkaBroker kafka, String eventId, String imageId, String prompt, String url) {
        kafka.send("meridian.images", imageId, "{\"image_id\":\"" + imageId + "\",\"org_id\":\"org-gen\",\"model\":"
                + "\"dall-e-2\",\"size\":\"256x256\",\"prompt\":" + quoted(prompt) + ",\"user\":null,"
                + "\"created_at\":1700000000" + (url == null ? "" : ",\"url\":" + quoted(url)) + "}",
                Map.of("ce_specversion", "1.0", "ce_id", eventId, "ce_type", "meridian.image.generated",
                        "ce_source", "/meridian/images-service", "ce_subject", imageId, "content-type", "application/json"));
    }

    /**
     * An event as images-service writes it now: no prompt text, its SHA-256 {@code digest} and a prompt URL signed
     * {@code prompt-sig-<id>}; no image url.
     */
    static void generatedWithPromptUrl(KafkaBroker kafka, String eventId, String imageId, String digest) {
        kafka.send("meridian.images", imageId, "{\"image_id\":\"" + imageId + "\",\"org_id\":\"org-gen\",\"model\":"
                + "\"dall-e-2\",\"size\":\"256x256\",\"prompt_sha256\":" + quoted(digest) + ",\"prompt_url\":"
                + quoted("https://api.example.com/v1/images/content/" + imageId
                        + "/prompt?expires=1700003600&signature=prompt-sig-" + imageId)
                + ",\"user\":null,\"created_at\":1700000000,\"url\":null}",
                Map.of("ce_specversion", "1.0", "ce_id", eventId, "ce_type", "meridian.image.generated",
                        "ce_source", "/meridian/images-service", "ce_subject", imageId, "content-type", "application/json"));
    }

    @Test
    void thePromptIsReadWithTheEventsPromptUrlAndMustMatchItsDigest() {
        String threat = "img_" + UUID.randomUUID();
        String tampered = "img_" + UUID.randomUUID();
        String gone = "img_gone" + UUID.randomUUID();
        UpstreamModerationStub.prompt(threat, TestTexts.THREAT);
        UpstreamModerationStub.prompt(tampered, TestTexts.THREAT);
        generatedWithPromptUrl(kafka, UUID.randomUUID().toString(), threat, Digests.sha256(TestTexts.THREAT));
        // images-service serves a prompt whose digest is not the event's: it is not judged
        generatedWithPromptUrl(kafka, UUID.randomUUID().toString(), tampered, Digests.sha256(TestTexts.BENIGN));
        generatedWithPromptUrl(kafka, UUID.randomUUID().toString(), gone, Digests.sha256(TestTexts.THREAT));
        reviewedSoFar();

        Map<String, Double> scores = TestTexts.CLASSIFIER.scores(TestTexts.THREAT);
        List<String> expected = Taxonomy.ALL.stream()
                .filter(c -> scores.get(c) >= TestTexts.THRESHOLDS.get(c) * STRICTNESS).toList();
        List<ConsumerRecord<String, String>> flagged = flags(threat, Duration.ofSeconds(1));
        assertEquals(1, flagged.size());
        assertEquals("{\"image_id\":\"" + threat + "\",\"org_id\":\"org-gen\",\"categories\":[\""
                + String.join("\",\"", expected) + "\"]}", flagged.get(0).value());
        assertEquals(List.of(), flags(tampered, Duration.ofSeconds(1)));
        assertEquals(List.of(), flags(gone, Duration.ofSeconds(1)));
        // read from the configured images-service with the prompt URL's expiry and signature; a gone one once
        assertEquals(List.of("/v1/images/content/" + threat + "/prompt?expires=1700003600&signature=prompt-sig-" + threat),
                UpstreamModerationStub.contentRequests().stream().filter(r -> r.contains(threat)).toList());
        assertEquals(1, UpstreamModerationStub.contentRequests().stream().filter(r -> r.contains(gone)).count());
    }

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    /** A URL as images-service signs it, on its public host (not the one the review fetches from). */
    static String signedUrl(String imageId) {
        return "https://api.example.com/v1/images/content/" + imageId + "?expires=1700003600&signature=sig-" + imageId;
    }

    private void reviewedSoFar() {
        reviewedSoFar(kafka, TestTexts.THREAT);
    }

    /** Sends a marker with a prompt that flags after the events under test and waits for it: they were all reviewed. */
    static void reviewedSoFar(KafkaBroker kafka, String flaggedPrompt) {
        String marker = "img_" + UUID.randomUUID();
        generated(kafka, UUID.randomUUID().toString(), marker, flaggedPrompt, null);
        kafka.await("meridian.moderations", x -> marker.equals(x.key()), 1, Duration.ofSeconds(30));
    }

    private List<ConsumerRecord<String, String>> flags(String imageId, Duration wait) {
        return flags(kafka, imageId, wait);
    }

    static List<ConsumerRecord<String, String>> flags(KafkaBroker kafka, String imageId, Duration wait) {
        return kafka.drain("meridian.moderations", x -> imageId.equals(x.key())
                && "meridian.content.flagged".equals(header(x, "ce_type")), wait);
    }

    @Test
    void theImageIsFetchedFromImagesServiceAndJudgedAtTheImageThresholdWithAVariationJudgedByItsImageAlone() {
        double imageThreshold = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("meridian.moderation.builtin.images.threshold", Double.class);
        double[] scores = TestImages.sexual(TestImages.STRONG, TestImages.MIDDLING);
        assertTrue(scores[0] >= imageThreshold, "strong: " + scores[0]);
        // the middling image would flag at the text threshold times the strictness; the image threshold is not scaled
        assertTrue(scores[1] < imageThreshold && scores[1] >= TestTexts.THRESHOLDS.get("sexual") * STRICTNESS,
                "middling: " + scores[1]);
        Map<String, Double> benignScores = TestTexts.CLASSIFIER.scores(TestTexts.BENIGN);
        Taxonomy.ALL.forEach(c -> assertTrue(benignScores.get(c) < TestTexts.THRESHOLDS.get(c) * STRICTNESS, c));

        String strong = "img_" + UUID.randomUUID();
        String variation = "img_" + UUID.randomUUID();
        String middling = "img_" + UUID.randomUUID();
        UpstreamModerationStub.generated(strong, TestImages.STRONG);
        UpstreamModerationStub.generated(variation, TestImages.STRONG);
        UpstreamModerationStub.generated(middling, TestImages.MIDDLING);
        generated(UUID.randomUUID().toString(), strong, TestTexts.BENIGN, signedUrl(strong));
        generated(UUID.randomUUID().toString(), variation, null, signedUrl(variation));
        generated(UUID.randomUUID().toString(), middling, TestTexts.BENIGN, signedUrl(middling));
        reviewedSoFar();

        for (String id : List.of(strong, variation)) {
            List<ConsumerRecord<String, String>> flagged = flags(id, Duration.ofSeconds(1));
            assertEquals(1, flagged.size(), id);
            assertEquals("{\"image_id\":\"" + id + "\",\"org_id\":\"org-gen\",\"categories\":[\"sexual\"]}",
                    flagged.get(0).value());
            assertEquals(id, header(flagged.get(0), "ce_subject"));
        }
        assertEquals(List.of(), flags(middling, Duration.ofSeconds(1)));
        // fetched from the configured images-service with the event's expiry and signature, not from the event's host
        for (String id : List.of(strong, variation, middling)) {
            assertEquals(List.of("/v1/images/content/" + id + "?expires=1700003600&signature=sig-" + id),
                    UpstreamModerationStub.contentRequests().stream().filter(r -> r.contains(id)).toList(), id);
        }
    }

    @Test
    void whenTheImageIsGoneRefusedOrImagesServiceFailsThePromptIsReviewedAlone() {
        String gone = "img_gone" + UUID.randomUUID();
        String broken = "img_broken" + UUID.randomUUID();
        String foreign = "img_" + UUID.randomUUID();
        String unsigned = "img_" + UUID.randomUUID();
        UpstreamModerationStub.generated(foreign, TestImages.STRONG);
        UpstreamModerationStub.generated(unsigned, TestImages.STRONG);
        generated(UUID.randomUUID().toString(), gone, TestTexts.THREAT, signedUrl(gone));
        generated(UUID.randomUUID().toString(), broken, TestTexts.THREAT, signedUrl(broken));
        // a signature images-service refuses (403): asking again would not help
        generated(UUID.randomUUID().toString(), unsigned, TestTexts.THREAT,
                signedUrl(unsigned).replace("signature=sig-", "signature=forged-"));
        // a url that is not a content URL for this image is not followed
        generated(UUID.randomUUID().toString(), foreign, TestTexts.BENIGN,
                "https://api.example.com/v1/images/content/img_other?expires=1700003600&signature=sig-" + foreign);
        reviewedSoFar();

        Map<String, Double> scores = TestTexts.CLASSIFIER.scores(TestTexts.THREAT);
        List<String> expected = Taxonomy.ALL.stream()
                .filter(c -> scores.get(c) >= TestTexts.THRESHOLDS.get(c) * STRICTNESS).toList();
        for (String id : List.of(gone, broken, unsigned)) {
            List<ConsumerRecord<String, String>> flagged = flags(id, Duration.ofSeconds(1));
            assertEquals(1, flagged.size(), id);
            assertEquals("{\"image_id\":\"" + id + "\",\"org_id\":\"org-gen\",\"categories\":[\""
                    + String.join("\",\"", expected) + "\"]}", flagged.get(0).value());
        }
        assertEquals(List.of(), flags(foreign, Duration.ofSeconds(1)));
        // a gone image is asked for once, so is a refused one; a failing images-service three times (two retries;
        // three failures in a row leave the circuit breaker closed, it opens at four, and a refusal does not count)
        assertEquals(1, UpstreamModerationStub.contentRequests().stream().filter(r -> r.contains(gone)).count());
        assertEquals(3, UpstreamModerationStub.contentRequests().stream().filter(r -> r.contains(broken)).count());
        assertEquals(List.of("/v1/images/content/" + unsigned + "?expires=1700003600&signature=forged-" + unsigned),
                UpstreamModerationStub.contentRequests().stream().filter(r -> r.contains(unsigned)).toList());
        assertEquals(0, UpstreamModerationStub.contentRequests().stream().filter(r -> r.contains(foreign)).count());
    }

    @Test
    void aFlaggedPromptPublishesContentFlaggedOnceEvenWhenRedelivered() throws InterruptedException {
        reviewedSoFar();
        PrometheusText before = PrometheusText.scrape();
        String flagged = "img_" + UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        generated(eventId, flagged, TestTexts.THREAT);
        List<ConsumerRecord<String, String>> records = kafka.await("meridian.moderations",
                r -> flagged.equals(r.key()) && "meridian.content.flagged".equals(header(r, "ce_type")), 1,
                Duration.ofSeconds(30));
        ConsumerRecord<String, String> r = records.get(0);
        assertEquals(flagged, header(r, "ce_subject"));
        assertEquals("/meridian/moderation-service", header(r, "ce_source"));
        // the review flags at the request thresholds times meridian.moderation.review.strictness
        Map<String, Double> scores = TestTexts.CLASSIFIER.scores(TestTexts.THREAT);
        List<String> expected = Taxonomy.ALL.stream()
                .filter(c -> scores.get(c) >= TestTexts.THRESHOLDS.get(c) * STRICTNESS).toList();
        assertEquals(false, expected.isEmpty());
        assertEquals("{\"image_id\":\"" + flagged + "\",\"org_id\":\"org-gen\",\"categories\":[\""
                + String.join("\",\"", expected) + "\"]}", r.value());

        // the same event again, then a benign image: the benign one is reviewed after the redelivery, and neither
        // the redelivery nor the benign image publishes anything
        String benign = "img_" + UUID.randomUUID();
        generated(eventId, flagged, TestTexts.THREAT);
        generated(UUID.randomUUID().toString(), benign, TestTexts.BENIGN);
        reviewedSoFar();
        assertEquals(1, kafka.drain("meridian.moderations", x -> flagged.equals(x.key()), Duration.ofSeconds(2)).size());
        assertEquals(0, kafka.drain("meridian.moderations", x -> benign.equals(x.key()), Duration.ofSeconds(1)).size());

        // meridian.moderation.reviews: the flagged event and the marker, the benign one; not the redelivery
        // counted just after the commit that lets the marker's flag out
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertEquals(2,
                PrometheusText.scrape().since(before, "meridian_moderation_reviews_total", "flagged", "true")));
        PrometheusText after = PrometheusText.scrape();
        assertEquals(2, after.since(before, "meridian_moderation_reviews_total", "flagged", "true"));
        assertEquals(1, after.since(before, "meridian_moderation_reviews_total", "flagged", "false"));
    }
}
