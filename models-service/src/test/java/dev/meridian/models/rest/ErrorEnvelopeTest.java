package dev.meridian.models.rest;

import static dev.meridian.testsupport.Envelopes.error;
import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import dev.meridian.models.Fixtures;

@QuarkusTest
class ErrorEnvelopeTest {

    static final String MISSING_KEY = "You didn't provide an API key. You need to provide your API key in an"
            + " Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
    static final String BAD_KEY = "Incorrect API key provided: the bearer token is invalid, expired or not issued"
            + " for this API.";

    @Test
    void missingTokenIs401InvalidApiKey() {
        Response response = given().when().get("/v1/models");
        response.then().statusCode(401).header("WWW-Authenticate", "Bearer").contentType("application/json");
        assertEquals(invalidRequest(MISSING_KEY, null, "invalid_api_key"), response.as(Map.class));
    }

    @Test
    void badTokensAre401InvalidApiKey() {
        for (String token : new String[] { Tokens.signedByStranger(Fixtures.ORG), Tokens.expired(Fixtures.ORG),
                Tokens.otherAudience(Fixtures.ORG), "not-a-jwt" }) {
            Response response = given().auth().oauth2(token).when().get("/v1/models/gpt-4o");
            response.then().statusCode(401);
            assertEquals(invalidRequest(BAD_KEY, null, "invalid_api_key"), response.as(Map.class), token);
        }
    }

    @Test
    void tokenWithoutOrgIs403() {
        Response response = given().auth().oauth2(Tokens.withoutOrg()).when().get("/v1/models");
        response.then().statusCode(403);
        assertEquals(invalidRequest("The access token carries no 'org_id' claim, so it cannot be mapped to an"
                + " organization.", null, null), response.as(Map.class));
    }

    @Test
    void aNulInThePathIsAnUnknownUrlAndInAQueryParameterANamedInvalidValue() {
        Response path = given().urlEncodingEnabled(false).auth().oauth2(Tokens.member(Fixtures.ORG)).get("/v1/models/%00");
        path.then().statusCode(404).contentType("application/json");
        assertEquals(invalidRequest("Invalid URL (GET /v1/models/%00)", null, null), path.as(Map.class));

        Response query = given().urlEncodingEnabled(false).auth().oauth2(Tokens.owner(Fixtures.ORG))
                .get("/admin/v1/models?limit=2&after=ft%00x");
        query.then().statusCode(400).contentType("application/json");
        assertEquals(invalidRequest("Invalid value for 'after': it contains a NUL character.", "after", null), query.as(Map.class));
    }

    @Test
    void overLongRequestLinesAndOverLargeHeadersAreEnvelopes() {
        // "GET " + 4,083 characters + " HTTP/1.1" is 4,096 bytes, the limit
        String fits = "/v1/models/" + "a".repeat(4083 - "/v1/models/".length());
        given().urlEncodingEnabled(false).auth().oauth2(Tokens.member(Fixtures.ORG)).get(fits).then().statusCode(404);
        Response line = given().urlEncodingEnabled(false).auth().oauth2(Tokens.member(Fixtures.ORG)).get(fits + "a");
        line.then().statusCode(414).contentType("application/json");
        assertEquals(invalidRequest("The request line is 4097 bytes long; the limit is 4096 bytes. Send long inputs in"
                + " the request body.", null, null), line.as(Map.class));
        Response headers = given().auth().oauth2(Tokens.member(Fixtures.ORG)).header("x-padding", "p".repeat(30_000))
                .get("/v1/models");
        headers.then().statusCode(431).contentType("application/json");
        assertEquals("invalid_request_error", headers.path("error.type"));
        assertTrue(headers.<String>path("error.message").matches("The request headers are \\d+ bytes; the limit is 20480"
                + " bytes\\."), headers.asString());
        given().auth().oauth2(Tokens.member(Fixtures.ORG)).header("x-padding", "p".repeat(18_000)).get("/v1/models")
                .then().statusCode(200);
    }

    @Test
    void unknownRouteIs404InvalidUrl() {
        Response response = given().auth().oauth2(Tokens.member(Fixtures.ORG)).when().get("/v1/nope");
        response.then().statusCode(404).contentType("application/json");
        assertEquals(invalidRequest("Invalid URL (GET /v1/nope)", null, null), response.as(Map.class));
    }

    @Test
    void wrongMethodIs405() {
        Response response = given().auth().oauth2(Tokens.member(Fixtures.ORG)).contentType(ContentType.JSON)
                .body("{}").when().post("/v1/models");
        response.then().statusCode(405).contentType("application/json");
        assertEquals(invalidRequest("Invalid method for URL (POST /v1/models)", null, null), response.as(Map.class));
    }

    @Test
    void malformedJsonIs400() {
        Response response = register("{\"id\": \"ft:x\", ");
        response.then().statusCode(400);
        assertEquals(invalidRequest("We could not parse the JSON body of your request. The API expects a JSON payload,"
                + " but what was sent was not valid JSON.", null, null), response.as(Map.class));
    }

    @Test
    void wrongFieldTypeNamesTheParam() {
        Response response = register("{\"id\": {\"nested\": true}, \"capability\": \"chat\", \"engine\": \"builtin\"}");
        response.then().statusCode(400);
        assertEquals(invalidRequest("Invalid type for 'id': expected a string.", "id", null), response.as(Map.class));
    }

    @Test
    void unknownEnumValueNamesTheParam() {
        Response response = register("{\"id\": \"ft:a:b\", \"capability\": \"video\", \"engine\": \"builtin\"}");
        response.then().statusCode(400);
        assertEquals(invalidRequest("Invalid value for 'capability': 'video' is not one of the supported values.",
                "capability", null), response.as(Map.class));
    }

    @Test
    void constraintViolationNamesTheParam() {
        Response response = register("{\"id\": \"my model!\", \"capability\": \"chat\", \"engine\": \"builtin\"}");
        response.then().statusCode(400);
        assertEquals(invalidRequest("Invalid 'id': must be letters, digits and . _ : / @ -, starting with a letter or"
                + " digit, such as 'llama3.1:8b' or 'ft:gpt-4o-mini:acme:suffix:abc123'.", "id", null),
                response.as(Map.class));

        response = register("{\"id\": \"ft:a:b\", \"engine\": \"builtin\"}");
        response.then().statusCode(400);
        assertEquals(invalidRequest("Invalid 'capability': must be one of 'image', 'moderation', 'chat'.",
                "capability", null), response.as(Map.class));
    }

    @Test
    void missingBodyIs400() {
        Response response = given().auth().oauth2(Tokens.owner(Fixtures.ORG)).contentType(ContentType.JSON)
                .when().post("/admin/v1/models");
        response.then().statusCode(400);
        assertEquals(invalidRequest("Invalid 'body': a JSON body is required.", "body", null), response.as(Map.class));
    }

    @Test
    void wrongContentTypeIs415() {
        Response response = given().auth().oauth2(Tokens.owner(Fixtures.ORG)).contentType(ContentType.TEXT)
                .body("id=ft:a").when().post("/admin/v1/models");
        response.then().statusCode(415);
        assertEquals(invalidRequest("Unsupported content type 'text/plain; charset=ISO-8859-1' for POST"
                + " /admin/v1/models.", null, null), response.as(Map.class));
    }

    @Test
    void oversizedBodyIs413() {
        String huge = "{\"id\": \"ft:" + "a".repeat(70 * 1024) + "\", \"capability\": \"chat\", \"engine\": \"builtin\"}";
        Response response = register(huge);
        response.then().statusCode(413);
        assertEquals(invalidRequest("Request too large: the body exceeds the size this endpoint accepts.", null, null),
                response.as(Map.class));
    }

    @Test
    void unexpectedFailureIs500WithRequestIdAndNoInternals() {
        Response response = given().when().get("/test/boom");
        response.then().statusCode(500).header("x-request-id", matchesPattern("req_[0-9a-f]{32}"));
        String requestId = response.header("x-request-id");
        assertEquals(error("The server had an error while processing your request. You can retry your request, or"
                + " contact the platform operators with the request id " + requestId + " if the error persists.",
                "server_error", null, null), response.as(Map.class));
        assertFalse(response.asString().contains("secret"));
        assertFalse(response.asString().contains("IllegalStateException"));
    }

    @Test
    void everyResponseCarriesARequestIdAndKeepsASaneIncomingOne() {
        given().auth().oauth2(Tokens.member(Fixtures.ORG)).header("x-request-id", "edge-1234567890")
                .when().get("/v1/models/gpt-4o")
                .then().statusCode(200).header("x-request-id", equalTo("edge-1234567890"));
        given().auth().oauth2(Tokens.member(Fixtures.ORG)).header("x-request-id", "<script>")
                .when().get("/v1/models/gpt-4o")
                .then().statusCode(200).header("x-request-id", matchesPattern("req_[0-9a-f]{32}"));
    }

    private static Response register(String json) {
        return given().auth().oauth2(Tokens.owner(Fixtures.ORG)).contentType(ContentType.JSON).body(json)
                .when().post("/admin/v1/models");
    }
}
