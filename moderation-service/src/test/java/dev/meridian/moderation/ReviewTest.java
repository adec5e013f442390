package dev.meridian.moderation;

import static dev.meridian.testsupport.KafkaBroker.header;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.meridian.moderation.service.Taxonomy;
import dev.meridian.testsupport.InjectKafka;
import dev.meridian.testsupport.KafkaBroker;
import io.quarkus.test.junit.QuarkusTest;

/** meridian.image.generated in, meridian.content.flagged out when the prompt is flagged; once per event id. */
@QuarkusTest
class ReviewTest {

    static final double STRICTNESS = org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("meridian.moderation.review.strictness", Double.class);

    @InjectKafka
    KafkaBroker kafka;

    private void generated(String eventId, String imageId, String prompt) {
        kafka.send("meridian.images", imageId, "{\"image_id\":\"" + imageId + "\",\"org_id\":\"org-gen\",\"model\":"
                + "\"dall-e-2\",\"size\":\"256x256\",\"prompt\":\"" + prompt + "\",\"user\":null,\"created_at\":1700000000}",
                Map.of("ce_specversion", "1.0", "ce_id", eventId, "ce_type", "meridian.image.generated",
                        "ce_source", "/meridian/images-service", "ce_subject", imageId, "content-type", "application/json"));
    }

    @Test
    void aFlaggedPromptPublishesContentFlaggedOnceEvenWhenRedelivered() {
        String flagged = "img_" + UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        generated(eventId, flagged, ModerationsApiTest.THREAT);
        List<ConsumerRecord<String, String>> records = kafka.await("meridian.moderations",
                r -> flagged.equals(r.key()) && "meridian.content.flagged".equals(header(r, "ce_type")), 1,
                Duration.ofSeconds(30));
        ConsumerRecord<String, String> r = records.get(0);
        assertEquals(flagged, header(r, "ce_subject"));
        assertEquals("/meridian/moderation-service", header(r, "ce_source"));
        // the review flags at the request thresholds times meridian.moderation.review.strictness
        Map<String, Double> scores = ModerationsApiTest.CLASSIFIER.scores(ModerationsApiTest.THREAT);
        List<String> expected = Taxonomy.ALL.stream()
                .filter(c -> scores.get(c) >= ModerationsApiTest.THRESHOLDS.get(c) * STRICTNESS).toList();
        assertEquals(false, expected.isEmpty());
        assertEquals("{\"image_id\":\"" + flagged + "\",\"org_id\":\"org-gen\",\"categories\":[\""
                + String.join("\",\"", expected) + "\"]}", r.value());

        // the same event again, then a benign image: the benign one is reviewed after the redelivery, and neither
        // the redelivery nor the benign image publishes anything
        String benign = "img_" + UUID.randomUUID();
        generated(eventId, flagged, ModerationsApiTest.THREAT);
        generated(UUID.randomUUID().toString(), benign, ModerationsApiTest.BENIGN);
        String marker = "img_" + UUID.randomUUID();
        generated(UUID.randomUUID().toString(), marker, ModerationsApiTest.THREAT);
        kafka.await("meridian.moderations", x -> marker.equals(x.key()), 1, Duration.ofSeconds(30));
        assertEquals(1, kafka.drain("meridian.moderations", x -> flagged.equals(x.key()), Duration.ofSeconds(2)).size());
        assertEquals(0, kafka.drain("meridian.moderations", x -> benign.equals(x.key()), Duration.ofSeconds(1)).size());
    }
}
