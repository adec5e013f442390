package dev.meridian.assistants.service;

import static dev.meridian.assistants.Api.as;
import static dev.meridian.testsupport.KafkaBroker.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.outbox.OutboxEvent;
import dev.meridian.testsupport.InjectKafka;
import dev.meridian.testsupport.KafkaBroker;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import dev.meridian.assistants.Api;

@QuarkusTest
class AssistantsEventsTest {

    static final String TOPIC = "meridian.assistants";
    static final ObjectMapper JSON = new ObjectMapper();

    @InjectKafka
    KafkaBroker kafka;

    final String org = Api.newOrg();

    @Test
    void assistantLifecycleEvents() throws Exception {
        Map<String, Object> created = Api.json(as(org).body(Map.of("model", "gpt-4o", "name", "Evented"))
                .post("/v1/assistants").then().statusCode(200).extract().response());
        String id = (String) created.get("id");
        Map<String, Object> modified = Api.json(as(org).body(Map.of("name", "Renamed")).post("/v1/assistants/" + id)
                .then().statusCode(200).extract().response());
        as(org).delete("/v1/assistants/" + id).then().statusCode(200);

        Map<String, Object> data = event(id, "meridian.assistant.created");
        assertEquals(Map.of("id", id, "org_id", org, "actor", "member@" + org, "object", created),
                without(data, "thread_id"));
        assertNull(data.get("thread_id"));
        assertEquals(modified, event(id, "meridian.assistant.modified").get("object"));
        Map<String, Object> deleted = event(id, "meridian.assistant.deleted");
        assertEquals(id, deleted.get("id"));
        assertNull(deleted.get("object"));
    }

    @Test
    void threadAndMessageEventsCarryNoMessageContent() throws Exception {
        Map<String, Object> thread = Api.json(as(org).body(Map.of("messages", List.of(Map.of("role", "user",
                "content", "private words")))).post("/v1/threads").then().statusCode(200).extract().response());
        String threadId = (String) thread.get("id");
        String messageId = as(org).get("/v1/threads/" + threadId + "/messages").then().extract().path("data[0].id");

        assertEquals(thread, event(threadId, "meridian.thread.created").get("object"));
        ConsumerRecord<String, String> record = record(messageId, "meridian.message.created");
        assertEquals(false, record.value().contains("private words"), record.value());
        Map<String, Object> message = data(record);
        assertEquals(threadId, message.get("thread_id"));
        Map<String, Object> object = (Map<String, Object>) message.get("object");
        assertEquals("thread.message", object.get("object"));
        assertEquals("user", object.get("role"));
        assertNull(object.get("content"));

        as(org).delete("/v1/threads/" + threadId).then().statusCode(200);
        assertEquals(threadId, event(threadId, "meridian.thread.deleted").get("id"));
    }

    Map<String, Object> event(String subject, String type) throws Exception {
        return data(record(subject, type));
    }

    ConsumerRecord<String, String> record(String subject, String type) {
        List<ConsumerRecord<String, String>> found = kafka.await(TOPIC,
                r -> subject.equals(r.key()) && type.equals(header(r, "ce_type")), 1, Duration.ofSeconds(30));
        assertEquals(1, found.size(), () -> "no " + type + " for " + subject);
        ConsumerRecord<String, String> record = found.get(0);
        assertEquals("/meridian/assistants-service", header(record, "ce_source"));
        assertEquals(subject, header(record, "ce_subject"));
        OutboxEvent row = QuarkusTransaction.requiringNew().call(() -> OutboxEvent.<OutboxEvent> find(
                "subject = ?1 and type = ?2", subject, type).singleResult());
        assertEquals(row.id, header(record, "ce_id"));
        assertEquals(row.data, record.value());
        return record;
    }

    static Map<String, Object> data(ConsumerRecord<String, String> record) throws Exception {
        return JSON.readValue(record.value(), new TypeReference<>() {
        });
    }

    static Map<String, Object> without(Map<String, Object> map, String key) {
        Map<String, Object> copy = new java.util.HashMap<>(map);
        copy.remove(key);
        return copy;
    }
}
