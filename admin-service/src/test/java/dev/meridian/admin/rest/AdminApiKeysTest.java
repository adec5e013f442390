package dev.meridian.admin.rest;

import static dev.meridian.admin.rest.ProjectsApiTest.PROJECTS;
import static dev.meridian.admin.rest.ProjectsApiTest.as;
import static dev.meridian.admin.rest.ProjectsApiTest.ids;
import static dev.meridian.admin.rest.ProjectsApiTest.org;
import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Organization admin keys: organization owners' rights on the administration API, shown once, revocable. */
@QuarkusTest
class AdminApiKeysTest {

    static final String KEYS = "/v1/organization/admin_api_keys";

    @Test
    void anOwnerCreatesAnAdminKeyThatAdministersTheOrganization() {
        String org = org();
        Map<String, Object> created = as(Tokens.owner(org)).body(Map.of("name", "Main Admin Key")).post(KEYS).then()
                .statusCode(200).extract().as(Map.class);
        String value = created.get("value").toString();
        assertTrue(value.matches("sk-admin-[A-Za-z0-9_-]{43}"), value);
        Map<String, Object> owner = (Map<String, Object>) created.get("owner");
        Map<String, Object> expected = new HashMap<>();
        expected.put("object", "organization.admin_api_key");
        expected.put("id", created.get("id"));
        expected.put("name", "Main Admin Key");
        expected.put("redacted_value", "sk-admin-…" + value.substring(value.length() - 4));
        expected.put("created_at", created.get("created_at"));
        expected.put("expires_at", null);
        expected.put("last_used_at", null);
        Map<String, Object> expectedOwner = new HashMap<>();
        expectedOwner.put("type", "user");
        expectedOwner.put("object", "organization.user");
        expectedOwner.put("id", "owner@" + org);
        expectedOwner.put("name", null); // the test tokens carry no name claim
        expectedOwner.put("created_at", owner.get("created_at"));
        expectedOwner.put("role", "owner");
        expected.put("owner", expectedOwner);
        expected.put("value", value);
        assertEquals(expected, created);

        // the key administers: creates a project, lists every project, reads itself (never its value again)
        String project = given().auth().oauth2(value).contentType(ContentType.JSON).body(Map.of("name", "By admin key"))
                .post(PROJECTS).then().statusCode(200).extract().path("id");
        assertTrue(ids(given().auth().oauth2(value).get(PROJECTS).as(Map.class)).contains(project));
        Map<String, Object> read = given().auth().oauth2(value).get(KEYS + "/" + created.get("id")).then().statusCode(200)
                .extract().as(Map.class);
        assertFalse(read.containsKey("value"));
        assertTrue(read.get("last_used_at") != null);
        Map<String, Object> list = as(Tokens.owner(org)).get(KEYS).then().statusCode(200).extract().as(Map.class);
        assertEquals(List.of(created.get("id")), ids(list));

        // but it may not create personal project keys
        given().auth().oauth2(value).contentType(ContentType.JSON).body(Map.of()).post(PROJECTS + "/" + project + "/api_keys")
                .then().statusCode(403);

        assertEquals(Map.of("object", "organization.admin_api_key.deleted", "id", created.get("id"), "deleted", true),
                as(Tokens.owner(org)).delete(KEYS + "/" + created.get("id")).then().statusCode(200).extract().as(Map.class));
        given().auth().oauth2(value).get(PROJECTS).then().statusCode(401);
    }

    @Test
    void onlyOrganizationOwnersManageAdminKeysAndValuesAreChecked() {
        String org = org();
        Response member = as(Tokens.member(org)).body(Map.of("name", "x")).post(KEYS);
        assertEquals(403, member.statusCode());
        assertEquals(invalidRequest("You have insufficient permissions for this operation: creating an admin API key"
                + " requires the 'owner' role in your organization.", null, null), member.as(Map.class));
        as(Tokens.member(org)).get(KEYS).then().statusCode(403);
        assertEquals(invalidRequest("Missing required parameter: 'name'.", "name", "missing_required_parameter"),
                as(Tokens.owner(org)).body(Map.of()).post(KEYS).then().statusCode(400).extract().as(Map.class));
        assertEquals(invalidRequest("Invalid 'expires_in_seconds': integer below minimum value or above maximum value."
                + " Expected a value between 1 and 31536000, but got 0 instead.", "expires_in_seconds", "integer_out_of_range"),
                as(Tokens.owner(org)).body(Map.of("name", "x", "expires_in_seconds", 0)).post(KEYS).then().statusCode(400)
                        .extract().as(Map.class));
        as(Tokens.owner(org())).get(KEYS + "/key_nope").then().statusCode(404);
    }

    @Test
    void anAdminKeyExpires() {
        String org = org();
        Map<String, Object> created = as(Tokens.owner(org)).body(Map.of("name", "short", "expires_in_seconds", 1)).post(KEYS)
                .then().statusCode(200).extract().as(Map.class);
        assertEquals(((Number) created.get("created_at")).longValue() + 1, ((Number) created.get("expires_at")).longValue());
        String value = created.get("value").toString();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().auth().oauth2(value).get(PROJECTS).statusCode() == 401);
    }
}
