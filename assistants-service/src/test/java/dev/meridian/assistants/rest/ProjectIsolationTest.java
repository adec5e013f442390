package dev.meridian.assistants.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.meridian.testsupport.AdminStub;
import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import dev.meridian.assistants.Api;

/**
 * Projects partition an org's assistants, threads, messages, runs and steps: every verb answers 404 for a resource of
 * another project, whether the caller names its project with a key or with the OpenAI-Project header.
 */
@QuarkusTest
class ProjectIsolationTest {

    final String org = Api.newOrg();
    final String project = "proj_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    final String key = "sk-svcacct-" + (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 43);

    RequestSpecification withKey() {
        return given().auth().oauth2(key).header("OpenAI-Beta", "assistants=v2").contentType(ContentType.JSON);
    }

    RequestSpecification inProjectByHeader() {
        return Api.as(org).header("OpenAI-Project", project);
    }

    RequestSpecification inDefaultProject() {
        return Api.as(org);
    }

    @Test
    void everyVerbIsScopedToTheProject() {
        AdminStub.key(key, "key_" + UUID.randomUUID(), org, project, "svc_acct_iso", "member");
        AdminStub.member(Tokens.subjectOf(Tokens.member(org)), org, project, "member");

        // made with the key, in its project
        String assistant = withKey().body(Map.of("model", "gpt-4o")).post("/v1/assistants").then().statusCode(200)
                .extract().path("id");
        String thread = withKey().body(Map.of("messages", List.of(Map.of("role", "user", "content", "hello"))))
                .post("/v1/threads").then().statusCode(200).extract().path("id");
        String message = withKey().get("/v1/threads/" + thread + "/messages").then().statusCode(200).extract().path("data[0].id");
        String run = withKey().body(Map.of("assistant_id", assistant)).post("/v1/threads/" + thread + "/runs").then()
                .statusCode(200).extract().path("id");

        Map<String, Function<RequestSpecification, Response>> verbs = new LinkedHashMap<>();
        verbs.put("retrieve assistant", r -> r.get("/v1/assistants/" + assistant));
        verbs.put("modify assistant", r -> r.body(Map.of("name", "x")).post("/v1/assistants/" + assistant));
        verbs.put("retrieve thread", r -> r.get("/v1/threads/" + thread));
        verbs.put("modify thread", r -> r.body(Map.of("metadata", Map.of("k", "v"))).post("/v1/threads/" + thread));
        verbs.put("list messages", r -> r.get("/v1/threads/" + thread + "/messages"));
        verbs.put("retrieve message", r -> r.get("/v1/threads/" + thread + "/messages/" + message));
        verbs.put("modify message", r -> r.body(Map.of("metadata", Map.of("k", "v"))).post("/v1/threads/" + thread
                + "/messages/" + message));
        verbs.put("list runs", r -> r.get("/v1/threads/" + thread + "/runs"));
        verbs.put("retrieve run", r -> r.get("/v1/threads/" + thread + "/runs/" + run));
        verbs.put("modify run", r -> r.body(Map.of("metadata", Map.of("k", "v"))).post("/v1/threads/" + thread + "/runs/" + run));
        verbs.put("list run steps", r -> r.get("/v1/threads/" + thread + "/runs/" + run + "/steps"));
        verbs.put("create run", r -> r.body(Map.of("assistant_id", assistant)).post("/v1/threads/" + thread + "/runs"));
        verbs.put("create message", r -> r.body(Map.of("role", "user", "content", "again")).post("/v1/threads/" + thread
                + "/messages"));
        verbs.put("delete thread", r -> r.delete("/v1/threads/" + thread));
        verbs.put("delete assistant", r -> r.delete("/v1/assistants/" + assistant));

        // the org's default project sees none of it; the list of assistants there is empty
        for (Map.Entry<String, Function<RequestSpecification, Response>> verb : verbs.entrySet()) {
            assertEquals(404, verb.getValue().apply(inDefaultProject()).statusCode(), verb.getKey());
        }
        assertEquals(List.of(), inDefaultProject().get("/v1/assistants").then().statusCode(200).extract().path("data"));
        // a member naming the project with the header sees the same as the key; the reads and modifications succeed
        assertEquals(List.of(assistant), inProjectByHeader().get("/v1/assistants").then().statusCode(200).extract().path("data.id"));
        for (String read : List.of("retrieve assistant", "modify assistant", "retrieve thread", "modify thread", "list messages",
                "retrieve message", "modify message", "list runs", "retrieve run", "modify run", "list run steps")) {
            assertEquals(200, verbs.get(read).apply(inProjectByHeader()).statusCode(), read);
        }
        // and what the default project makes, the key does not see
        String mine = inDefaultProject().body(Map.of("model", "gpt-4o")).post("/v1/assistants").then().statusCode(200)
                .extract().path("id");
        assertEquals(404, withKey().get("/v1/assistants/" + mine).statusCode());
        assertEquals(200, withKey().delete("/v1/assistants/" + assistant).statusCode());
    }
}
