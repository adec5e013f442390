package dev.meridian.models.rest;

import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import dev.meridian.models.Fixtures;

@QuarkusTest
class CatalogAdminTest {

    @Test
    void ownerRegistersAFineTunedModel() {
        String id = Fixtures.ftId("registered");
        long before = Instant.now().getEpochSecond();
        Response response = given().auth().oauth2(Tokens.owner(Fixtures.ORG)).contentType(ContentType.JSON)
                .body(Map.of("id", id, "capability", "image", "engine", "openai-compatible", "upstream_model", "dall-e-3"))
                .when().post("/admin/v1/models");
        response.then().statusCode(201);
        Map<String, Object> body = response.as(Map.class);
        long created = ((Number) body.get("created")).longValue();
        assertTrue(created >= before && created <= Instant.now().getEpochSecond());

        Map<String, Object> expected = new HashMap<>();
        expected.put("id", id);
        expected.put("object", "catalog.model");
        expected.put("created", body.get("created"));
        expected.put("owned_by", Fixtures.ORG);
        expected.put("org_id", Fixtures.ORG);
        expected.put("capability", "image");
        expected.put("engine", "openai-compatible");
        expected.put("upstream_model", "dall-e-3");
        expected.put("upstream_base_url", null);
        expected.put("upstream_credential", null);
        assertEquals(expected, body);

        assertEquals(expected, given().auth().oauth2(Tokens.member(Fixtures.ORG)).when().get("/admin/v1/models/" + id)
                .then().statusCode(200).extract().as(Map.class));
    }

    @Test
    void ownerBindsAnyModelIdToItsOwnUpstream() {
        String id = "llama3.1:8b-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Response response = given().auth().oauth2(Tokens.owner(Fixtures.ORG)).contentType(ContentType.JSON)
                .body(Map.of("id", id, "capability", "chat", "engine", "openai-compatible", "upstream_model", "llama3.1:8b",
                        "upstream_base_url", "http://127.0.0.1:11434/v1", "upstream_credential", "ollama"))
                .when().post("/admin/v1/models");
        response.then().statusCode(201);
        Map<String, Object> body = response.as(Map.class);
        assertEquals(id, body.get("id"));
        assertEquals("llama3.1:8b", body.get("upstream_model"));
        assertEquals("http://127.0.0.1:11434/v1", body.get("upstream_base_url"));
        assertEquals("ollama", body.get("upstream_credential"));
        assertEquals(body, given().auth().oauth2(Tokens.member(Fixtures.ORG)).when().get("/admin/v1/models/" + id)
                .then().statusCode(200).extract().as(Map.class));
        // the OpenAI surface shows the model, never its binding
        assertEquals(Map.of("id", id, "object", "model", "created", body.get("created"), "owned_by", Fixtures.ORG),
                given().auth().oauth2(Tokens.member(Fixtures.ORG)).when().get("/v1/models/" + id).then().statusCode(200)
                        .extract().as(Map.class));

        Response procedural = given().auth().oauth2(Tokens.owner(Fixtures.ORG)).contentType(ContentType.JSON)
                .body(Map.of("id", id + "-img", "capability", "image", "engine", "procedural", "upstream_base_url",
                        "http://127.0.0.1:1/v1")).when().post("/admin/v1/models");
        procedural.then().statusCode(400);
        assertEquals(invalidRequest("Invalid 'upstream_base_url': only models bound to the 'openai-compatible' engine"
                + " have an upstream.", "upstream_base_url", null), procedural.as(Map.class));
        Response notUrl = given().auth().oauth2(Tokens.owner(Fixtures.ORG)).contentType(ContentType.JSON)
                .body(Map.of("id", id + "-2", "capability", "chat", "engine", "openai-compatible", "upstream_base_url",
                        "ftp://example.com")).when().post("/admin/v1/models");
        notUrl.then().statusCode(400);
        assertEquals(invalidRequest("Invalid 'upstream_base_url': must be an http or https URL such as"
                + " 'http://127.0.0.1:11434/v1'.", "upstream_base_url", null), notUrl.as(Map.class));
        given().auth().oauth2(Tokens.member(Fixtures.ORG)).contentType(ContentType.JSON)
                .body(Map.of("id", id + "-3", "capability", "chat", "engine", "openai-compatible"))
                .when().post("/admin/v1/models").then().statusCode(403);
    }

    @Test
    void baseModelBindingIsReadableByAnyOrg() {
        Map<String, Object> expected = new HashMap<>();
        expected.put("id", "dall-e-2");
        expected.put("object", "catalog.model");
        expected.put("created", 1698798177);
        expected.put("owned_by", "system");
        expected.put("org_id", null);
        expected.put("capability", "image");
        expected.put("engine", "procedural");
        expected.put("upstream_model", null);
        expected.put("upstream_base_url", null);
        expected.put("upstream_credential", null);
        assertEquals(expected, given().auth().oauth2(Tokens.member(Fixtures.OTHER_ORG))
                .when().get("/admin/v1/models/dall-e-2").then().statusCode(200).extract().as(Map.class));
    }

    @Test
    void memberCannotRegister() {
        Response response = given().auth().oauth2(Tokens.member(Fixtures.ORG)).contentType(ContentType.JSON)
                .body(Map.of("id", Fixtures.ftId("nope"), "capability", "chat", "engine", "builtin"))
                .when().post("/admin/v1/models");
        response.then().statusCode(403);
        assertEquals(invalidRequest("You have insufficient permissions for this operation: registering a model"
                + " requires the 'owner' role in your organization.", null, null), response.as(Map.class));
    }

    @Test
    void duplicateIdIs409() {
        String id = Fixtures.register(Fixtures.ORG, Fixtures.ftId("dup"));
        Response response = given().auth().oauth2(Tokens.owner(Fixtures.ORG)).contentType(ContentType.JSON)
                .body(Map.of("id", id, "capability", "chat", "engine", "builtin"))
                .when().post("/admin/v1/models");
        response.then().statusCode(409);
        assertEquals(invalidRequest("A model with id '" + id + "' already exists.", "id", "model_exists"),
                response.as(Map.class));
    }

    @Test
    void engineMustServeTheCapability() {
        Response response = given().auth().oauth2(Tokens.owner(Fixtures.ORG)).contentType(ContentType.JSON)
                .body(Map.of("id", Fixtures.ftId("wrong-engine"), "capability", "moderation", "engine", "procedural"))
                .when().post("/admin/v1/models");
        response.then().statusCode(400);
        assertEquals(invalidRequest("Invalid 'engine': 'procedural' cannot serve moderation models. Expected one of"
                + " [builtin, builtin-fast, openai-compatible].", "engine", null), response.as(Map.class));
    }

    @Test
    void anotherOrgsEntryIsNotFound() {
        String theirs = Fixtures.register(Fixtures.OTHER_ORG, Fixtures.ftId("private"));
        given().auth().oauth2(Tokens.owner(Fixtures.ORG)).when().get("/admin/v1/models/" + theirs)
                .then().statusCode(404);
    }
}
