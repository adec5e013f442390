package dev.meridian.assistants.rest;

import static dev.meridian.assistants.Api.as;
import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meridian.assistants.entity.MessageEntity;
import dev.meridian.assistants.entity.ThreadEntity;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import dev.meridian.assistants.Api;

@QuarkusTest
class ThreadsAndMessagesTest {

    final String org = Api.newOrg();

    @Test
    void emptyThreadHasEveryField() {
        Map<String, Object> thread = Api.json(as(org).post("/v1/threads").then().statusCode(200).extract().response());
        String id = (String) thread.get("id");
        assertTrue(id.matches("thread_[0-9A-Za-z]{24}"), id);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", id);
        expected.put("object", "thread");
        expected.put("created_at", thread.get("created_at"));
        expected.put("tool_resources", Map.of());
        expected.put("metadata", Map.of());
        assertEquals(expected, thread);
        assertEquals(expected, Api.json(as(org).get("/v1/threads/" + id).then().statusCode(200).extract().response()));
    }

    @Test
    void messagesInEveryContentFormHaveEveryField() {
        String thread = thread(Map.of());
        Map<String, Object> message = Api.json(as(org).body(Map.of("role", "user", "content", "How does AI work?",
                "metadata", Map.of("k", "v"))).post("/v1/threads/" + thread + "/messages").then().statusCode(200)
                .extract().response());
        String id = (String) message.get("id");
        assertTrue(id.matches("msg_[0-9A-Za-z]{24}"), id);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", id);
        expected.put("object", "thread.message");
        expected.put("created_at", message.get("created_at"));
        expected.put("thread_id", thread);
        expected.put("status", "completed");
        expected.put("incomplete_details", null);
        expected.put("completed_at", message.get("created_at"));
        expected.put("incomplete_at", null);
        expected.put("role", "user");
        expected.put("content", List.of(Map.of("type", "text", "text", Map.of("value", "How does AI work?", "annotations", List.of()))));
        expected.put("assistant_id", null);
        expected.put("run_id", null);
        expected.put("attachments", List.of());
        expected.put("metadata", Map.of("k", "v"));
        assertEquals(expected, message);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(message.keySet()));

        Map<String, Object> parts = Api.json(as(org).body(Map.of("role", "assistant", "content", List.of(
                Map.of("type", "text", "text", "Look:"),
                Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/cat.png", "detail", "high")),
                Map.of("type", "image_file", "image_file", Map.of("file_id", "file-abc"))),
                "attachments", List.of(Map.of("file_id", "file-xyz", "tools", List.of(Map.of("type", "file_search"))))))
                .post("/v1/threads/" + thread + "/messages").then().statusCode(200).extract().response());
        assertEquals(List.of(
                Map.of("type", "text", "text", Map.of("value", "Look:", "annotations", List.of())),
                Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/cat.png", "detail", "high")),
                Map.of("type", "image_file", "image_file", Map.of("file_id", "file-abc", "detail", "auto"))), parts.get("content"));
        assertEquals(List.of(Map.of("file_id", "file-xyz", "tools", List.of(Map.of("type", "file_search")))),
                parts.get("attachments"));
        assertEquals("assistant", parts.get("role"));
    }

    @Test
    void badMessagesAre400NamingTheParam() {
        String thread = thread(Map.of());
        List<Object[]> cases = List.of(
                bad(Map.of("content", "hi"), "role", "Missing required parameter: 'role'."),
                bad(Map.of("role", "system", "content", "hi"), "role", "Invalid 'role': must be one of 'user', 'assistant'."),
                bad(Map.of("role", "user"), "content", "Missing required parameter: 'content'."),
                bad(Map.of("role", "user", "content", ""), "content", "Invalid 'content': string too short. Expected a string"
                        + " with minimum length 1, but got an empty string instead."),
                bad(Map.of("role", "user", "content", "a\u0000b"), "content",
                        "Invalid value for 'content': text cannot contain the NUL character (\\u0000)."),
                bad(Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "\u0000"))), "content[0].text",
                        "Invalid value for 'content[0].text': text cannot contain the NUL character (\\u0000)."),
                bad(Map.of("role", "user", "content", List.of()), "content",
                        "Invalid 'content': empty array. Expected an array with at least 1 element."),
                bad(Map.of("role", "user", "content", 42), "content",
                        "Invalid type for 'content': expected a string or an array of content parts."),
                bad(Map.of("role", "user", "content", List.of(Map.of("type", "video"))), "content[0].type",
                        "Invalid value for 'content[0].type': expected one of 'text', 'image_url', 'image_file', but got 'video'."),
                bad(Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "a"),
                        Map.of("type", "image_url", "image_url", Map.of()))), "content[1].image_url.url",
                        "Missing required parameter: 'content[1].image_url.url'."),
                bad(Map.of("role", "user", "content", List.of(Map.of("type", "image_url", "image_url",
                        Map.of("url", "file:///etc/passwd")))), "content[0].image_url.url",
                        "Invalid 'content[0].image_url.url': expected an http(s) URL or a data:image/ URL."),
                bad(Map.of("role", "user", "content", "hi", "attachments", List.of(Map.of("file_id", "f",
                        "tools", List.of(Map.of("type", "browser"))))), "attachments[0].tools[0].type",
                        "Invalid 'attachments[0].tools[0].type': must be one of 'code_interpreter', 'file_search'."));
        for (Object[] c : cases) {
            Response response = as(org).body(c[0]).post("/v1/threads/" + thread + "/messages");
            assertEquals(400, response.statusCode(), () -> c[1] + ": " + response.asString());
            assertEquals(c[1], response.path("error.param"), response.asString());
            assertEquals(c[2], response.path("error.message"), response.asString());
        }
        as(org).get("/v1/threads/" + thread + "/messages").then().statusCode(200).body("data.size()", equalTo(0));
    }

    @Test
    void threadWithInitialMessagesIsAllOrNothing() {
        String thread = thread(Map.of("messages", List.of(Map.of("role", "user", "content", "first"),
                Map.of("role", "assistant", "content", "second")), "metadata", Map.of("topic", "ai")));
        List<String> texts = as(org).get("/v1/threads/" + thread + "/messages?order=asc").then().statusCode(200)
                .extract().path("data.collect { it.content[0].text.value }");
        assertEquals(List.of("first", "second"), texts);
        as(org).get("/v1/threads/" + thread).then().body("metadata.topic", equalTo("ai"));

        long threadsBefore = count(ThreadEntity.class);
        Response refused = as(org).body(Map.of("messages", List.of(Map.of("role", "user", "content", "ok"),
                Map.of("role", "user", "content", "")))).post("/v1/threads");
        refused.then().statusCode(400).body("error.param", equalTo("messages[1].content"));
        assertEquals(threadsBefore, count(ThreadEntity.class));
    }

    @Test
    void modifyChangesMetadataOnly() {
        String thread = thread(Map.of("metadata", Map.of("a", "1")));
        as(org).body(Map.of("metadata", Map.of("b", "2"))).post("/v1/threads/" + thread).then().statusCode(200)
                .body("metadata", equalTo(Map.of("b", "2")));
        String message = message(thread, "hello");
        as(org).body(Map.of("metadata", Map.of("reviewed", "yes"))).post("/v1/threads/" + thread + "/messages/" + message)
                .then().statusCode(200).body("metadata", equalTo(Map.of("reviewed", "yes")))
                .body("content[0].text.value", equalTo("hello"));
        Map<String, Object> tooMany = new HashMap<>();
        for (int i = 0; i < 17; i++) {
            tooMany.put("k" + i, "v");
        }
        as(org).body(Map.of("metadata", tooMany)).post("/v1/threads/" + thread + "/messages/" + message)
                .then().statusCode(400).body("error.param", equalTo("metadata"));
    }

    @Test
    void deletingAThreadDeletesItsMessages() {
        String thread = thread(Map.of());
        String first = message(thread, "one");
        message(thread, "two");
        String deletedMessage = message(thread, "three");
        as(org).delete("/v1/threads/" + thread + "/messages/" + deletedMessage).then().statusCode(200)
                .body(equalTo("{\"id\":\"" + deletedMessage + "\",\"object\":\"thread.message.deleted\",\"deleted\":true}"));
        as(org).get("/v1/threads/" + thread + "/messages/" + deletedMessage).then().statusCode(404);
        assertEquals(2, countMessages(thread));

        as(org).delete("/v1/threads/" + thread).then().statusCode(200)
                .body(equalTo("{\"id\":\"" + thread + "\",\"object\":\"thread.deleted\",\"deleted\":true}"));
        Response gone = as(org).get("/v1/threads/" + thread);
        gone.then().statusCode(404);
        assertEquals(invalidRequest("No thread found with id '" + thread + "'.", null, null), Api.json(gone));
        as(org).get("/v1/threads/" + thread + "/messages/" + first).then().statusCode(404);
        assertEquals(0, countMessages(thread));
    }

    @Test
    void anotherOrgsThreadAndMessagesAreNotFoundOnEveryVerb() {
        String other = Api.newOrg();
        String thread = as(other).post("/v1/threads").then().statusCode(200).extract().path("id");
        String message = as(other).body(Map.of("role", "user", "content", "secret"))
                .post("/v1/threads/" + thread + "/messages").then().statusCode(200).extract().path("id");
        String base = "/v1/threads/" + thread;
        as(org).get(base).then().statusCode(404);
        as(org).body(Map.of("metadata", Map.of())).post(base).then().statusCode(404);
        as(org).get(base + "/messages").then().statusCode(404);
        // a list finds the other org's messages neither by the thread nor by a cursor: still the thread's 404
        as(org).get(base + "/messages?after=" + message).then().statusCode(404)
                .body("error.message", equalTo("No thread found with id '" + thread + "'."));
        as(org).body(Map.of("role", "user", "content", "x")).post(base + "/messages").then().statusCode(404);
        as(org).get(base + "/messages/" + message).then().statusCode(404);
        as(org).body(Map.of("metadata", Map.of())).post(base + "/messages/" + message).then().statusCode(404);
        as(org).delete(base + "/messages/" + message).then().statusCode(404);
        as(org).delete(base).then().statusCode(404);
        as(other).get(base + "/messages/" + message).then().statusCode(200).body("content[0].text.value", equalTo("secret"));
    }

    @Test
    void messagesPageInBothOrdersAndFilterByRun() {
        String thread = thread(Map.of());
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(message(thread, "m" + i));
        }
        Response first = as(org).get("/v1/threads/" + thread + "/messages?limit=3");
        first.then().statusCode(200).body("has_more", equalTo(true));
        assertEquals(List.of(ids.get(6), ids.get(5), ids.get(4)), first.path("data.id"));
        Response next = as(org).get("/v1/threads/" + thread + "/messages?limit=3&after=" + ids.get(4));
        assertEquals(List.of(ids.get(3), ids.get(2), ids.get(1)), next.path("data.id"));
        Response asc = as(org).get("/v1/threads/" + thread + "/messages?order=asc&limit=10");
        asc.then().body("has_more", equalTo(false)).body("first_id", equalTo(ids.get(0))).body("last_id", equalTo(ids.get(6)));
        assertEquals(ids, asc.path("data.id"));
        as(org).get("/v1/threads/" + thread + "/messages?run_id=run_nothing").then().statusCode(200)
                .body("data.size()", equalTo(0)).body("first_id", equalTo(null)).body("has_more", equalTo(false));
    }

    @Test
    void unknownThreadIs404() {
        Response response = as(org).body(Map.of("role", "user", "content", "x")).post("/v1/threads/thread_missing/messages");
        response.then().statusCode(404);
        assertEquals(invalidRequest("No thread found with id 'thread_missing'.", null, null), Api.json(response));
    }

    private String thread(Map<String, Object> body) {
        return as(org).body(body).post("/v1/threads").then().statusCode(200).extract().path("id");
    }

    private String message(String thread, String text) {
        return as(org).body(Map.of("role", "user", "content", text)).post("/v1/threads/" + thread + "/messages")
                .then().statusCode(200).extract().path("id");
    }

    private static Object[] bad(Object body, String param, String message) {
        return new Object[] { body, param, message };
    }

    static long count(Class<?> entity) {
        return QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager()
                .createQuery("select count(e) from " + entity.getSimpleName() + " e", Long.class).getSingleResult());
    }

    static long countMessages(String thread) {
        return QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager()
                .createQuery("select count(m) from " + MessageEntity.class.getSimpleName() + " m where m.threadId = :t", Long.class)
                .setParameter("t", thread).getSingleResult());
    }
}
