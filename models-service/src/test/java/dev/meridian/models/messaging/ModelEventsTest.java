package dev.meridian.models.messaging;

import static dev.meridian.testsupport.KafkaBroker.header;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.outbox.OutboxEvent;
import dev.meridian.testsupport.InjectKafka;
import dev.meridian.testsupport.KafkaBroker;
import dev.meridian.testsupport.PrometheusText;
import dev.meridian.testsupport.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import dev.meridian.models.Fixtures;

@QuarkusTest
class ModelEventsTest {

    static final String TOPIC = "meridian.models";
    static final ObjectMapper JSON = new ObjectMapper();

    @InjectKafka
    KafkaBroker kafka;

    @Test
    void registeringPublishesModelCreated() throws Exception {
        String id = Fixtures.register(Fixtures.ORG, Fixtures.ftId("evented"));

        ConsumerRecord<String, String> record = only(awaitEvent(id, "meridian.model.created", Duration.ofSeconds(30)));
        assertEquals(id, record.key());
        assertEquals("1.0", header(record, "ce_specversion"));
        assertEquals("/meridian/models-service", header(record, "ce_source"));
        assertEquals(id, header(record, "ce_subject"));
        assertEquals("application/json", header(record, "content-type"));
        Map<String, Object> data = JSON.readValue(record.value(), new TypeReference<>() {
        });
        Map<String, Object> expected = new HashMap<>();
        expected.put("id", id);
        expected.put("created", data.get("created"));
        expected.put("owned_by", Fixtures.ORG);
        expected.put("org_id", Fixtures.ORG);
        expected.put("project_id", dev.meridian.common.security.Projects.defaultFor(Fixtures.ORG));
        expected.put("capability", "chat");
        expected.put("engine", "builtin");
        expected.put("upstream_model", null);
        expected.put("actor", "owner@" + Fixtures.ORG);
        assertEquals(expected, data);
        assertEvent(outboxRow(id, "meridian.model.created"), record);
    }

    @Test
    void baseModelsWereSeededWithEvents() {
        ConsumerRecord<String, String> record = only(awaitEvent("dall-e-3", "meridian.model.created", Duration.ofSeconds(30)));
        assertTrue(record.value().contains("\"actor\":\"system\""), record.value());
        assertTrue(record.value().contains("\"engine\":\"procedural\""), record.value());
    }

    @Test
    void deletionWhileKafkaIsDownIsPublishedExactlyAsWrittenWhenItReturns() throws Exception {
        String id = Fixtures.register(Fixtures.ORG, Fixtures.ftId("outage"));
        only(awaitEvent(id, "meridian.model.created", Duration.ofSeconds(30)));
        PrometheusText before = PrometheusText.settled();

        kafka.stop();
        try {
            given().auth().oauth2(Tokens.owner(Fixtures.ORG)).when().delete("/v1/models/" + id)
                    .then().statusCode(200);
            // The relay keeps trying while the broker is away; the event waits in the outbox, for as long as we look.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertNull(outboxRow(id, "meridian.model.deleted").publishedAt,
                            "published while Kafka was down?"));
            OutboxEvent pending = outboxRow(id, "meridian.model.deleted");
            // and the meters say so: one event pending, waiting since it was written, none published
            OffsetDateTime scraping = OffsetDateTime.now();
            PrometheusText during = PrometheusText.scrape();
            OffsetDateTime scraped = OffsetDateTime.now();
            assertEquals(1, during.value("meridian_outbox_pending"));
            double age = during.value("meridian_outbox_oldest_pending_age_seconds");
            assertTrue(age >= Duration.between(pending.createdAt, scraping).toNanos() / 1e9
                    && age <= Duration.between(pending.createdAt, scraped).toNanos() / 1e9, "age " + age + " s");
            assertTrue(age >= 3, "age " + age + " s");
            assertEquals(0, during.since(before, "meridian_outbox_published_total"));
        } finally {
            kafka.start();
        }

        ConsumerRecord<String, String> record = only(awaitEvent(id, "meridian.model.deleted", Duration.ofSeconds(90)));
        OutboxEvent written = outboxRow(id, "meridian.model.deleted");
        assertEvent(written, record);
        Map<String, Object> data = JSON.readValue(record.value(), new TypeReference<>() {
        });
        assertEquals(id, data.get("id"));
        assertEquals(Fixtures.ORG, data.get("org_id"));
        assertEquals("owner@" + Fixtures.ORG, data.get("actor"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertNotNull(outboxRow(id, "meridian.model.deleted").publishedAt));
        assertEquals(1, PrometheusText.settled().since(before, "meridian_outbox_published_total"));
    }

    /** The record on Kafka carries exactly what the outbox row holds. */
    static void assertEvent(OutboxEvent row, ConsumerRecord<String, String> record) {
        assertEquals(row.id, header(record, "ce_id"));
        assertEquals(row.type, header(record, "ce_type"));
        assertEquals(row.source, header(record, "ce_source"));
        assertEquals(row.subject, header(record, "ce_subject"));
        assertEquals(row.key, record.key());
        assertEquals(row.data, record.value());
        assertEquals(row.time.toInstant(), OffsetDateTime.parse(header(record, "ce_time")).toInstant());
    }

    List<ConsumerRecord<String, String>> awaitEvent(String id, String type, Duration timeout) {
        List<ConsumerRecord<String, String>> found = kafka.await(TOPIC,
                r -> id.equals(r.key()) && type.equals(header(r, "ce_type")), 1, timeout);
        // anything else for this id and type that arrives shortly after would be a duplicate
        found.addAll(kafka.drain(TOPIC, r -> id.equals(r.key()) && type.equals(header(r, "ce_type"))
                && found.stream().noneMatch(f -> f.offset() == r.offset()), Duration.ofSeconds(1)));
        return found;
    }

    static ConsumerRecord<String, String> only(List<ConsumerRecord<String, String>> records) {
        assertEquals(1, records.size(), () -> "expected exactly one event, got " + records);
        return records.get(0);
    }

    static OutboxEvent outboxRow(String subject, String type) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxEvent.<OutboxEvent> find("subject = ?1 and type = ?2",
                subject, type).singleResult());
    }
}
