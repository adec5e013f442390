package dev.meridian.models.rest;

import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import dev.meridian.models.Fixtures;

@QuarkusTest
class ModelsApiTest {

    static final List<String> BASE_MODELS = List.of("dall-e-2", "dall-e-3", "omni-moderation-latest",
            "omni-moderation-2024-09-26", "text-moderation-latest", "text-moderation-stable", "gpt-4o", "gpt-4o-mini");

    @Test
    void listShowsBaseModelsAndOnlyTheCallersOrgModels() {
        String mine = Fixtures.register(Fixtures.ORG, Fixtures.ftId("mine"));
        String theirs = Fixtures.register(Fixtures.OTHER_ORG, Fixtures.ftId("theirs"));

        Response response = given().auth().oauth2(Tokens.member(Fixtures.ORG))
                .when().get("/v1/models");
        response.then().statusCode(200).contentType("application/json")
                .body("object", equalTo("list"))
                .body("has_more", equalTo(false))
                .body("data.id", hasItem(mine))
                .body("data.id", not(hasItem(theirs)));
        List<Map<String, Object>> data = response.jsonPath().getList("data");
        List<String> ids = data.stream().map(m -> (String) m.get("id")).toList();
        assertTrue(ids.containsAll(BASE_MODELS), () -> "base models missing from " + ids);
        for (Map<String, Object> model : data) {
            assertEquals(List.of("id", "object", "created", "owned_by"), List.copyOf(model.keySet()));
            assertEquals("model", model.get("object"));
            assertTrue(((Number) model.get("created")).longValue() > 1_600_000_000L);
        }
        Map<String, Object> dalle3 = data.stream().filter(m -> m.get("id").equals("dall-e-3")).findFirst().orElseThrow();
        assertEquals(Map.of("id", "dall-e-3", "object", "model", "created", 1698785189, "owned_by", "system"), dalle3);
        Map<String, Object> own = data.stream().filter(m -> m.get("id").equals(mine)).findFirst().orElseThrow();
        assertEquals(Fixtures.ORG, own.get("owned_by"));
        assertEquals(response.jsonPath().getString("first_id"), ids.get(0));
        assertEquals(response.jsonPath().getString("last_id"), ids.get(ids.size() - 1));
    }

    @Test
    void retrieveBaseModel() {
        given().auth().oauth2(Tokens.member(Fixtures.OTHER_ORG))
                .when().get("/v1/models/gpt-4o")
                .then().statusCode(200)
                .body(equalTo("{\"id\":\"gpt-4o\",\"object\":\"model\",\"created\":1715367049,\"owned_by\":\"system\"}"));
    }

    @Test
    void fineTunedIdsRoundTripEncodedOrNot() {
        String id = Fixtures.register(Fixtures.ORG, Fixtures.ftId("roundtrip"));
        String token = Tokens.member(Fixtures.ORG);

        given().auth().oauth2(token).when().get("/v1/models/" + id)
                .then().statusCode(200).body("id", equalTo(id)).body("owned_by", equalTo(Fixtures.ORG));
        given().auth().oauth2(token).urlEncodingEnabled(false)
                .when().get("/v1/models/" + URLEncoder.encode(id, StandardCharsets.UTF_8))
                .then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void unknownModelIs404WithModelNotFound() {
        Map<String, Object> body = given().auth().oauth2(Tokens.member(Fixtures.ORG))
                .when().get("/v1/models/gpt-9000")
                .then().statusCode(404).contentType("application/json")
                .extract().as(Map.class);
        assertEquals(invalidRequest("The model 'gpt-9000' does not exist or you do not have access to it.", "model",
                "model_not_found"), body);
    }

    @Test
    void anotherOrgsModelIsNotFoundOnRetrieveAndDelete() {
        String theirs = Fixtures.register(Fixtures.OTHER_ORG, Fixtures.ftId("hidden"));
        Map<String, Object> expected = invalidRequest("The model '" + theirs
                + "' does not exist or you do not have access to it.", "model", "model_not_found");

        assertEquals(expected, given().auth().oauth2(Tokens.owner(Fixtures.ORG))
                .when().get("/v1/models/" + theirs).then().statusCode(404).extract().as(Map.class));
        assertEquals(expected, given().auth().oauth2(Tokens.owner(Fixtures.ORG))
                .when().delete("/v1/models/" + theirs).then().statusCode(404).extract().as(Map.class));
        // still there for its owner
        given().auth().oauth2(Tokens.member(Fixtures.OTHER_ORG)).when().get("/v1/models/" + theirs)
                .then().statusCode(200);
    }

    @Test
    void ownerDeletesFineTunedModelAndItIsGone() {
        String id = Fixtures.register(Fixtures.ORG, Fixtures.ftId("doomed"));
        String owner = Tokens.owner(Fixtures.ORG);

        given().auth().oauth2(owner).when().delete("/v1/models/" + id)
                .then().statusCode(200)
                .body(equalTo("{\"id\":\"" + id + "\",\"object\":\"model\",\"deleted\":true}"));

        given().auth().oauth2(owner).when().get("/v1/models/" + id).then().statusCode(404)
                .body("error.code", equalTo("model_not_found"));
        given().auth().oauth2(owner).when().get("/v1/models").then().statusCode(200)
                .body("data.id", not(hasItem(id)));
        given().auth().oauth2(owner).when().delete("/v1/models/" + id).then().statusCode(404)
                .body("error.code", equalTo("model_not_found"));
    }

    @Test
    void memberCannotDeleteAndTheModelStays() {
        String id = Fixtures.register(Fixtures.ORG, Fixtures.ftId("kept"));

        Map<String, Object> body = given().auth().oauth2(Tokens.member(Fixtures.ORG))
                .when().delete("/v1/models/" + id)
                .then().statusCode(403).extract().as(Map.class);
        assertEquals(invalidRequest("You have insufficient permissions for this operation: deleting a model requires"
                + " the 'owner' role in your organization.", null, null), body);
        given().auth().oauth2(Tokens.member(Fixtures.ORG)).when().get("/v1/models/" + id).then().statusCode(200);
    }

    @Test
    void baseModelsCannotBeDeletedEvenByOwners() {
        Map<String, Object> body = given().auth().oauth2(Tokens.owner(Fixtures.ORG))
                .when().delete("/v1/models/dall-e-2")
                .then().statusCode(403).extract().as(Map.class);
        assertEquals(invalidRequest("You cannot delete 'dall-e-2': only fine-tuned models can be deleted, and this is"
                + " a base model of the platform.", null, null), body);
        given().auth().oauth2(Tokens.owner(Fixtures.ORG)).when().get("/v1/models/dall-e-2").then().statusCode(200);
    }
}
