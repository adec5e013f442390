package dev.meridian.models.rest;

import static dev.meridian.testsupport.Envelopes.error;
import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.meridian.access.RemoteDirectory;
import dev.meridian.testsupport.AdminStub;
import dev.meridian.testsupport.InjectKafka;
import dev.meridian.testsupport.KafkaBroker;
import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import dev.meridian.models.Fixtures;

/**
 * {@code sk-} keys on a service other than admin-service: checked in memory after one lookup, scoped to their project,
 * and refused within a second of admin-service's revocation event arriving over Kafka.
 */
@QuarkusTest
class ApiKeyCallsTest {

    @InjectKafka
    KafkaBroker kafka;

    static String unique() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static String newKey() {
        return "sk-svcacct-" + (unique() + unique()).substring(0, 43);
    }

    static String register(String org, String project, String id) {
        var request = given().auth().oauth2(Tokens.owner(org)).contentType(ContentType.JSON);
        if (project != null) {
            request.header("OpenAI-Project", project);
        }
        request.body(Map.of("id", id, "capability", "chat", "engine", "builtin")).post("/admin/v1/models").then().statusCode(201);
        return id;
    }

    static List<String> modelIds(Response response) {
        return response.then().statusCode(200).extract().jsonPath().getList("data.id");
    }

    @Test
    void aKeyActsInItsOwnProjectAndIsCheckedInMemory() {
        String org = "org-" + unique().substring(0, 8);
        String project = "proj_" + unique().substring(0, 24);
        String key = newKey();
        AdminStub.key(key, "key_" + unique(), org, project, "svc_acct_a", "member");
        AdminStub.member("owner@" + org, org, project, "owner");
        String inProject = register(org, project, Fixtures.ftId("in-project"));
        String inDefault = register(org, null, Fixtures.ftId("in-default"));

        int lookups = AdminStub.lookups();
        for (int i = 0; i < 20; i++) {
            List<String> seen = modelIds(given().auth().oauth2(key).get("/v1/models"));
            assertTrue(seen.contains(inProject) && seen.contains("gpt-4o"), seen.toString());
            assertFalse(seen.contains(inDefault), seen.toString());
        }
        assertEquals(lookups + 1, AdminStub.lookups(), "one lookup for the first request, memory for the rest");

        Response hidden = given().auth().oauth2(key).get("/v1/models/" + inDefault);
        assertEquals(404, hidden.statusCode());
        // every verb: the catalog's own view and deletion, from the other project, find nothing
        assertEquals(404, given().auth().oauth2(key).get("/admin/v1/models/" + inDefault).statusCode());
        assertEquals(404, given().auth().oauth2(Tokens.owner(org)).delete("/v1/models/" + inProject).statusCode());
        assertEquals(404, given().auth().oauth2(Tokens.owner(org)).get("/admin/v1/models/" + inProject).statusCode());
        assertFalse(modelIds(given().auth().oauth2(Tokens.owner(org)).get("/admin/v1/models")).contains(inProject));
        // a Keycloak user without OpenAI-Project acts in the default project
        List<String> byToken = modelIds(given().auth().oauth2(Tokens.member(org)).get("/v1/models"));
        assertTrue(byToken.contains(inDefault) && !byToken.contains(inProject), byToken.toString());
        // the same user naming the project sees its models once a member; a non-member is refused
        AdminStub.member("member@" + org, org, project, "member");
        List<String> named = modelIds(given().auth().oauth2(Tokens.member(org)).header("OpenAI-Project", project).get("/v1/models"));
        assertTrue(named.contains(inProject) && !named.contains(inDefault), named.toString());
        Response stranger = given().auth().oauth2(Tokens.token("stranger@" + org, org, List.of()))
                .header("OpenAI-Project", project).get("/v1/models");
        assertEquals(403, stranger.statusCode());
        assertEquals(invalidRequest("You are not a member of the project '" + project + "' named by the OpenAI-Project header,"
                + " or it is not an active project of your organization.", null, null), stranger.as(Map.class));
        // deleted from its own project
        given().auth().oauth2(Tokens.owner(org)).header("OpenAI-Project", project).delete("/v1/models/" + inProject)
                .then().statusCode(200);
    }

    @Test
    void headersThatContradictTheCredentialAreRefused() {
        String org = "org-" + unique().substring(0, 8);
        String project = "proj_" + unique().substring(0, 24);
        String key = newKey();
        AdminStub.key(key, "key_" + unique(), org, project, "svc_acct_b", "member");
        Response otherProject = given().auth().oauth2(key).header("OpenAI-Project", "proj_other").get("/v1/models");
        assertEquals(401, otherProject.statusCode());
        assertEquals(invalidRequest("The OpenAI-Project header names 'proj_other', which is not the project of your API key.",
                null, "mismatched_project"), otherProject.as(Map.class));
        given().auth().oauth2(key).header("OpenAI-Project", project).header("OpenAI-Organization", org).get("/v1/models")
                .then().statusCode(200);
        Response otherOrg = given().auth().oauth2(Tokens.member(org)).header("OpenAI-Organization", "org-else").get("/v1/models");
        assertEquals(401, otherOrg.statusCode());
        assertEquals(invalidRequest("The OpenAI-Organization header names 'org-else', which is not the organization of your"
                + " credentials.", null, "mismatched_organization"), otherOrg.as(Map.class));
    }

    @Test
    void anAdminServiceOutageIsA503AndItsBreakerSpareCallersTheWait() {
        Map<String, Object> unavailable = error("Your credentials could not be checked because the administration"
                + " service is temporarily unavailable. Please retry your request shortly.", "server_error", null, null);
        CircuitBreakerMaintenance.get().resetAll(); // an empty window: the earlier tests' calls succeeded
        AdminStub.down(true);
        try {
            for (int call = 1; call <= 10; call++) { // ten new keys: ten failed checks fill the breaker's window
                Response down = given().auth().oauth2(newKey()).get("/v1/models");
                assertEquals(503, down.statusCode());
                assertEquals("1", down.header("retry-after"));
                assertEquals(unavailable, down.as(Map.class));
                assertEquals(call < 10 ? CircuitBreakerState.CLOSED : CircuitBreakerState.OPEN,
                        CircuitBreakerMaintenance.get().currentState(RemoteDirectory.KEYS_BREAKER));
            }
            AdminStub.down(false);
            int lookups = AdminStub.lookups();
            Response spared = given().auth().oauth2(newKey()).get("/v1/models");
            assertEquals(503, spared.statusCode());
            assertEquals("1", spared.header("retry-after"));
            assertEquals(unavailable, spared.as(Map.class));
            assertEquals(lookups, AdminStub.lookups(), "an open breaker does not ask admin-service");
        } finally {
            AdminStub.down(false);
            CircuitBreakerMaintenance.get().resetAll();
        }
    }

    @Test
    void anUnknownKeyIsRefusedWithOpenAIsWording() {
        String key = newKey();
        Response refused = given().auth().oauth2(key).get("/v1/models");
        assertEquals(401, refused.statusCode());
        assertEquals("Bearer", refused.header("WWW-Authenticate"));
        assertEquals(error("Incorrect API key provided: sk-svcacct-…" + key.substring(key.length() - 4) + ". You can find your"
                + " API key at https://github.com/meridian-platform/meridian/blob/main/docs/api-keys.md.",
                "invalid_request_error", null, "invalid_api_key"), refused.as(Map.class));
    }

    @Test
    void anAdminKeyIsRefusedOutsideTheAdministrationApi() {
        String key = "sk-admin-" + (unique() + unique()).substring(0, 43);
        AdminStub.adminKey(key, "key_" + unique(), "org-" + unique().substring(0, 8), "owner@x");
        Response refused = given().auth().oauth2(key).get("/v1/models");
        assertEquals(401, refused.statusCode());
        assertEquals(error("Admin API keys (sk-admin-…" + key.substring(key.length() - 4) + ") can only be used with the"
                + " administration API (/v1/organization/...). Use a project API key here.", "invalid_request_error", null,
                "invalid_api_key"), refused.as(Map.class));
    }

    @Test
    void aDeletedKeyIsRefusedWithinASecondOfItsEvent() {
        String org = "org-" + unique().substring(0, 8);
        String project = "proj_" + unique().substring(0, 24);
        // the consumer of this replica is assigned its partitions some time after start: a first revocation shows it is
        String probe = newKey();
        String probeId = "key_" + unique();
        AdminStub.key(probe, probeId, org, project, "svc_acct_p", "member");
        given().auth().oauth2(probe).get("/v1/models").then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            revoke(probeId, org, project);
            return given().auth().oauth2(probe).get("/v1/models").statusCode() == 401;
        });

        String key = newKey();
        String keyId = "key_" + unique();
        AdminStub.key(key, keyId, org, project, "svc_acct_c", "member");
        given().auth().oauth2(key).get("/v1/models").then().statusCode(200);
        // admin-service would now answer "unknown" too; the stub still vouches, so only the event can refuse the key
        revoke(keyId, org, project);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> given().auth().oauth2(key).get("/v1/models").statusCode() == 401);
    }

    @Test
    void keysOfAnArchivedProjectAndOfARemovedMemberAreRefused() {
        String org = "org-" + unique().substring(0, 8);
        String project = "proj_" + unique().substring(0, 24);
        String first = newKey();
        String second = newKey();
        AdminStub.key(first, "key_" + unique(), org, project, "svc_acct_1", "member");
        AdminStub.key(second, "key_" + unique(), org, project, "svc_acct_2", "member");
        String other = "proj_" + unique().substring(0, 24);
        String elsewhere = newKey();
        AdminStub.key(elsewhere, "key_" + unique(), org, other, "svc_acct_3", "member");
        for (String key : List.of(first, second, elsewhere)) {
            given().auth().oauth2(key).get("/v1/models").then().statusCode(200);
        }
        event("meridian.project.member_removed", other, "{\"project_id\":\"" + other + "\",\"org_id\":\"" + org
                + "\",\"member_type\":\"service_account\",\"member_id\":\"svc_acct_3\",\"role\":\"member\"}");
        event("meridian.project.archived", project, "{\"id\":\"" + project + "\",\"org_id\":\"" + org
                + "\",\"name\":\"x\",\"status\":\"archived\"}");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                given().auth().oauth2(first).get("/v1/models").statusCode() == 401
                        && given().auth().oauth2(second).get("/v1/models").statusCode() == 401
                        && given().auth().oauth2(elsewhere).get("/v1/models").statusCode() == 401);
    }

    private void revoke(String keyId, String org, String project) {
        event("meridian.api_key.deleted", project, "{\"id\":\"" + keyId + "\",\"project_id\":\"" + project + "\",\"org_id\":\""
                + org + "\",\"owner_type\":\"service_account\",\"owner_id\":\"svc\",\"redacted_value\":\"sk-svcacct-…abcd\"}");
    }

    private void event(String type, String project, String data) {
        kafka.send("meridian.projects", project, data,
                Map.of("ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_source", "/meridian/admin-service",
                        "ce_type", type, "content-type", "application/json"));
    }
}
