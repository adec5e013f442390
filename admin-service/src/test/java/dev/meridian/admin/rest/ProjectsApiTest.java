package dev.meridian.admin.rest;

import static dev.meridian.testsupport.Envelopes.error;
import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.meridian.common.security.Projects;
import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class ProjectsApiTest {

    static final String PROJECTS = "/v1/organization/projects";

    static String org() {
        return "org-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    static Map<String, Object> createProject(String org, String name) {
        return as(Tokens.owner(org)).body(Map.of("name", name)).post(PROJECTS).then().statusCode(200).extract().as(Map.class);
    }

    @Test
    void ownerCreatesReadsRenamesAndArchivesAProject() {
        String org = org();
        long before = Instant.now().getEpochSecond();
        Map<String, Object> created = createProject(org, "Project ABC");
        String id = (String) created.get("id");
        assertTrue(id.matches("proj_[0-9A-Za-z]{24}"), id);
        long createdAt = ((Number) created.get("created_at")).longValue();
        assertTrue(createdAt >= before && createdAt <= Instant.now().getEpochSecond());
        Map<String, Object> expected = new HashMap<>();
        expected.put("id", id);
        expected.put("object", "organization.project");
        expected.put("name", "Project ABC");
        expected.put("created_at", created.get("created_at"));
        expected.put("archived_at", null);
        expected.put("status", "active");
        expected.put("external_key_id", null);
        assertEquals(expected, created);
        assertEquals(List.copyOf(expected.keySet()).size(), created.size());
        assertEquals(expected, as(Tokens.owner(org)).get(PROJECTS + "/" + id).then().statusCode(200).extract().as(Map.class));

        expected.put("name", "Project DEF");
        assertEquals(expected, as(Tokens.owner(org)).body(Map.of("name", "Project DEF")).post(PROJECTS + "/" + id)
                .then().statusCode(200).extract().as(Map.class));

        Map<String, Object> archived = as(Tokens.owner(org)).post(PROJECTS + "/" + id + "/archive").then().statusCode(200)
                .extract().as(Map.class);
        assertEquals("archived", archived.get("status"));
        assertTrue(((Number) archived.get("archived_at")).longValue() >= createdAt);

        // archived projects leave the default listing, accept no changes and no keys
        assertFalse(ids(as(Tokens.owner(org)).get(PROJECTS).as(Map.class)).contains(id));
        assertTrue(ids(as(Tokens.owner(org)).queryParam("include_archived", "true").get(PROJECTS).as(Map.class)).contains(id));
        Response rename = as(Tokens.owner(org)).body(Map.of("name", "x")).post(PROJECTS + "/" + id);
        assertEquals(400, rename.statusCode());
        assertEquals(invalidRequest("The project " + id + " is archived and cannot be changed.", null, "project_archived"),
                rename.as(Map.class));
        assertEquals(400, as(Tokens.owner(org)).body(Map.of("name", "svc")).post(PROJECTS + "/" + id + "/service_accounts")
                .statusCode());
    }

    @Test
    void everyOrgHasADefaultProjectThatCannotBeArchived() {
        String org = org();
        Map<String, Object> list = as(Tokens.member(org)).get(PROJECTS).then().statusCode(200).extract().as(Map.class);
        List<Map<String, Object>> data = (List<Map<String, Object>>) list.get("data");
        assertEquals(1, data.size());
        assertEquals(Projects.defaultFor(org), data.get(0).get("id"));
        assertEquals("Default project", data.get(0).get("name"));
        assertEquals(Projects.defaultFor(org), list.get("first_id"));
        assertEquals(Projects.defaultFor(org), list.get("last_id"));
        assertEquals(false, list.get("has_more"));

        Response archive = as(Tokens.owner(org)).post(PROJECTS + "/" + Projects.defaultFor(org) + "/archive");
        assertEquals(400, archive.statusCode());
        assertEquals(invalidRequest("The default project cannot be archived.", null, null), archive.as(Map.class));
    }

    @Test
    void listsPageForwardWithAfter() {
        String org = org();
        as(Tokens.owner(org)).get(PROJECTS).then().statusCode(200);
        List<String> made = List.of(createProject(org, "a").get("id").toString(), createProject(org, "b").get("id").toString(),
                createProject(org, "c").get("id").toString());
        Map<String, Object> first = as(Tokens.owner(org)).queryParam("limit", 2).get(PROJECTS).as(Map.class);
        assertEquals(List.of(Projects.defaultFor(org), made.get(0)), ids(first));
        assertEquals(true, first.get("has_more"));
        assertEquals(made.get(0), first.get("last_id"));
        Map<String, Object> second = as(Tokens.owner(org)).queryParam("limit", 2).queryParam("after", first.get("last_id"))
                .get(PROJECTS).as(Map.class);
        assertEquals(made.subList(1, 3), ids(second));
        assertEquals(false, second.get("has_more"));

        Response badLimit = as(Tokens.owner(org)).queryParam("limit", 101).get(PROJECTS);
        assertEquals(400, badLimit.statusCode());
        assertEquals("limit", ((Map<String, Object>) badLimit.as(Map.class).get("error")).get("param"));
        Response badAfter = as(Tokens.owner(org)).queryParam("after", "proj_nope").get(PROJECTS);
        assertEquals(invalidRequest("Invalid 'after': no object with id 'proj_nope' in this list.", "after", null),
                badAfter.as(Map.class));
        Response badFlag = as(Tokens.owner(org)).queryParam("include_archived", "yes").get(PROJECTS);
        assertEquals(invalidRequest("Invalid value for 'include_archived': expected a boolean, but got 'yes' instead.",
                "include_archived", "invalid_type"), badFlag.as(Map.class));
    }

    @Test
    void rolesDecideWhoMayDoWhat() {
        String org = org();
        String id = createProject(org, "Team").get("id").toString();
        Response memberCreates = as(Tokens.member(org)).body(Map.of("name", "mine")).post(PROJECTS);
        assertEquals(403, memberCreates.statusCode());
        assertEquals(invalidRequest("You have insufficient permissions for this operation: creating a project requires the"
                + " 'owner' role in your organization.", null, null), memberCreates.as(Map.class));
        // a member of the org who is not in the project does not see it; another org's owner neither
        assertEquals(invalidRequest("The project " + id + " was not found.", null, null),
                as(Tokens.member(org)).get(PROJECTS + "/" + id).then().statusCode(404).extract().as(Map.class));
        as(Tokens.owner(org())).get(PROJECTS + "/" + id).then().statusCode(404);
        assertEquals(List.of(Projects.defaultFor(org)), ids(as(Tokens.member(org)).get(PROJECTS).as(Map.class)));

        // added as a member: reads the project, may not manage it
        String member = "member@" + org;
        Map<String, Object> added = as(Tokens.owner(org)).body(Map.of("user_id", member, "role", "member"))
                .post(PROJECTS + "/" + id + "/users").then().statusCode(200).extract().as(Map.class);
        assertEquals("organization.project.user", added.get("object"));
        assertEquals(member, added.get("id"));
        assertEquals("member", added.get("role"));
        assertTrue(added.containsKey("name") && added.containsKey("email") && added.containsKey("added_at"));
        as(Tokens.member(org)).get(PROJECTS + "/" + id).then().statusCode(200);
        Response memberRenames = as(Tokens.member(org)).body(Map.of("name", "x")).post(PROJECTS + "/" + id);
        assertEquals(403, memberRenames.statusCode());
        assertEquals(invalidRequest("You have insufficient permissions for this operation: modifying a project requires"
                + " the 'owner' role in the project.", null, null), memberRenames.as(Map.class));

        // promoted to owner: manages it, but archiving stays with the organization's owners
        assertEquals("owner", as(Tokens.owner(org)).body(Map.of("role", "owner")).post(PROJECTS + "/" + id + "/users/" + member)
                .then().statusCode(200).extract().path("role"));
        as(Tokens.member(org)).body(Map.of("name", "Renamed")).post(PROJECTS + "/" + id).then().statusCode(200);
        as(Tokens.member(org)).post(PROJECTS + "/" + id + "/archive").then().statusCode(403);

        assertEquals(Map.of("object", "organization.project.user.deleted", "id", member, "deleted", true),
                as(Tokens.owner(org)).delete(PROJECTS + "/" + id + "/users/" + member).then().statusCode(200).extract().as(Map.class));
        as(Tokens.member(org)).get(PROJECTS + "/" + id).then().statusCode(404);
    }

    @Test
    void projectUsersAreValidated() {
        String org = org();
        String id = createProject(org, "Team").get("id").toString();
        String users = PROJECTS + "/" + id + "/users";
        assertEquals(invalidRequest("Missing required parameter: 'role'.", "role", "missing_required_parameter"),
                as(Tokens.owner(org)).body(Map.of("user_id", "x")).post(users).then().statusCode(400).extract().as(Map.class));
        assertEquals(invalidRequest("Invalid value for 'role': expected one of 'member', 'owner', but got 'admin' instead.",
                "role", "invalid_value"), as(Tokens.owner(org)).body(Map.of("user_id", "x", "role", "admin")).post(users)
                        .then().statusCode(400).extract().as(Map.class));
        assertEquals(invalidRequest("No user with id 'nobody' in your organization. Users must be members of the organization"
                + " (have called Meridian at least once) before they can be added to a project.", "user_id", null),
                as(Tokens.owner(org)).body(Map.of("user_id", "nobody", "role", "member")).post(users)
                        .then().statusCode(400).extract().as(Map.class));
        assertEquals(invalidRequest("Invalid type for 'name': expected a string, but got a number instead.", "name",
                "invalid_type"), as(Tokens.owner(org)).body(Map.of("name", 5)).post(PROJECTS).then().statusCode(400)
                        .extract().as(Map.class));
        assertEquals(invalidRequest("Missing required parameter: 'name'.", "name", "missing_required_parameter"),
                as(Tokens.owner(org)).body(Map.of()).post(PROJECTS).then().statusCode(400).extract().as(Map.class));
        as(Tokens.owner(org)).get(users + "/nobody").then().statusCode(404);
    }

    @Test
    void serviceAccountKeyIsShownOnceAndWorksInItsProjectOnly() {
        String org = org();
        String id = createProject(org, "Prod").get("id").toString();
        long before = Instant.now().getEpochSecond();
        Map<String, Object> account = as(Tokens.owner(org)).body(Map.of("name", "Production App"))
                .post(PROJECTS + "/" + id + "/service_accounts").then().statusCode(200).extract().as(Map.class);
        String accountId = account.get("id").toString();
        assertTrue(accountId.matches("svc_acct_[0-9A-Za-z]{24}"), accountId);
        Map<String, Object> apiKey = (Map<String, Object>) account.get("api_key");
        String key = apiKey.get("value").toString();
        assertTrue(key.matches("sk-svcacct-[A-Za-z0-9_-]{43}"), "256 random bits, URL-safe base64");
        assertEquals(Map.of("object", "organization.project.service_account.api_key", "value", key, "name", "Secret Key",
                "created_at", apiKey.get("created_at"), "id", apiKey.get("id")), apiKey);
        assertEquals(Map.of("object", "organization.project.service_account", "id", accountId, "name", "Production App",
                "role", "member", "created_at", account.get("created_at"), "api_key", apiKey), account);
        assertTrue(((Number) account.get("created_at")).longValue() >= before);

        // never shown again
        Map<String, Object> read = as(Tokens.owner(org)).get(PROJECTS + "/" + id + "/service_accounts/" + accountId).as(Map.class);
        assertEquals(Map.of("object", "organization.project.service_account", "id", accountId, "name", "Production App",
                "role", "member", "created_at", account.get("created_at")), read);
        Map<String, Object> listed = as(Tokens.owner(org)).get(PROJECTS + "/" + id + "/api_keys").as(Map.class);
        Map<String, Object> shown = ((List<Map<String, Object>>) listed.get("data")).get(0);
        assertEquals("sk-svcacct-…" + key.substring(key.length() - 4), shown.get("redacted_value"));
        assertFalse(shown.toString().contains(key));
        assertEquals(Map.of("type", "service_account", "service_account", Map.of("id", accountId, "name", "Production App",
                "created_at", account.get("created_at"), "role", "member")), shown.get("owner"));
        assertEquals("active", shown.get("owner_project_access"));

        // the key sees its own project, and nothing else
        Map<String, Object> seen = given().auth().oauth2(key).get(PROJECTS).then().statusCode(200).extract().as(Map.class);
        assertEquals(List.of(id), ids(seen));
        given().auth().oauth2(key).get(PROJECTS + "/" + Projects.defaultFor(org)).then().statusCode(404);
        assertNotEquals(null, ((Map<String, Object>) as(Tokens.owner(org)).get(PROJECTS + "/" + id + "/api_keys/" + apiKey.get("id"))
                .as(Map.class)).get("last_used_at"));
        // a member key may not manage
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("name", "x")).post(PROJECTS + "/" + id
                + "/service_accounts").then().statusCode(403);

        // its key cannot be deleted on its own; deleting the account revokes it
        assertEquals(400, as(Tokens.owner(org)).delete(PROJECTS + "/" + id + "/api_keys/" + apiKey.get("id")).statusCode());
        assertEquals(Map.of("object", "organization.project.service_account.deleted", "id", accountId, "deleted", true),
                as(Tokens.owner(org)).delete(PROJECTS + "/" + id + "/service_accounts/" + accountId).as(Map.class));
        Response refused = given().auth().oauth2(key).get(PROJECTS);
        assertEquals(401, refused.statusCode());
        assertEquals(error("Incorrect API key provided: sk-svcacct-…" + key.substring(key.length() - 4)
                + ". You can find your API key at https://github.com/meridian-platform/meridian/blob/main/docs/api-keys.md.",
                "invalid_request_error", null, "invalid_api_key"), refused.as(Map.class));
    }

    @Test
    void serviceAccountOnlyHasNoKey() {
        String org = org();
        String id = createProject(org, "Prod").get("id").toString();
        Map<String, Object> account = as(Tokens.owner(org)).body(Map.of("name", "Bare", "create_service_account_only", true))
                .post(PROJECTS + "/" + id + "/service_accounts").then().statusCode(200).extract().as(Map.class);
        assertTrue(account.containsKey("api_key"));
        assertNull(account.get("api_key"));
        assertEquals("none", account.get("role"));
    }

    @Test
    void personalKeysFollowTheirOwnersMembershipAndTheProject() {
        String org = org();
        String id = createProject(org, "Team").get("id").toString();
        as(Tokens.member(org)).get(PROJECTS).then().statusCode(200);
        as(Tokens.owner(org)).body(Map.of("user_id", "member@" + org, "role", "member")).post(PROJECTS + "/" + id + "/users")
                .then().statusCode(200);
        Map<String, Object> created = as(Tokens.member(org)).body(Map.of("name", "laptop")).post(PROJECTS + "/" + id + "/api_keys")
                .then().statusCode(200).extract().as(Map.class);
        String key = created.get("value").toString();
        assertTrue(key.matches("sk-proj-[A-Za-z0-9_-]{43}"));
        assertEquals("sk-proj-…" + key.substring(key.length() - 4), created.get("redacted_value"));
        assertEquals("laptop", created.get("name"));
        assertEquals(Map.of("type", "user", "user", new HashMap<>(Map.of("id", "member@" + org, "role", "member",
                "created_at", ((Map<String, Object>) ((Map<String, Object>) created.get("owner")).get("user")).get("created_at")))),
                withoutNulls(created.get("owner")));
        Map<String, Object> retrieved = as(Tokens.owner(org)).get(PROJECTS + "/" + id + "/api_keys/" + created.get("id")).as(Map.class);
        assertFalse(retrieved.containsKey("value"));

        given().auth().oauth2(key).get(PROJECTS + "/" + id).then().statusCode(200);
        // leaving the project ends the key
        as(Tokens.owner(org)).delete(PROJECTS + "/" + id + "/users/member@" + org).then().statusCode(200);
        given().auth().oauth2(key).get(PROJECTS + "/" + id).then().statusCode(401);

        // a key dies with its archived project
        String other = createProject(org, "Short-lived").get("id").toString();
        String ownerKey = as(Tokens.owner(org)).body(Map.of()).post(PROJECTS + "/" + other + "/api_keys").then().statusCode(200)
                .extract().path("value");
        given().auth().oauth2(ownerKey).get(PROJECTS + "/" + other).then().statusCode(200);
        as(Tokens.owner(org)).post(PROJECTS + "/" + other + "/archive").then().statusCode(200);
        given().auth().oauth2(ownerKey).get(PROJECTS + "/" + other).then().statusCode(401);
    }

    @Test
    void deletingAKeyRevokesIt() {
        String org = org();
        String id = createProject(org, "Team").get("id").toString();
        Map<String, Object> created = as(Tokens.owner(org)).body(Map.of()).post(PROJECTS + "/" + id + "/api_keys").as(Map.class);
        String key = created.get("value").toString();
        given().auth().oauth2(key).get(PROJECTS).then().statusCode(200);
        assertEquals(Map.of("object", "organization.project.api_key.deleted", "id", created.get("id"), "deleted", true),
                as(Tokens.owner(org)).delete(PROJECTS + "/" + id + "/api_keys/" + created.get("id")).then().statusCode(200)
                        .extract().as(Map.class));
        given().auth().oauth2(key).get(PROJECTS).then().statusCode(401);
        given().auth().oauth2("sk-proj-" + "x".repeat(43)).get(PROJECTS).then().statusCode(401);
    }

    static List<String> ids(Map<String, Object> list) {
        return ((List<Map<String, Object>>) list.get("data")).stream().map(p -> p.get("id").toString()).toList();
    }

    static Map<String, Object> withoutNulls(Object owner) {
        Map<String, Object> copy = new HashMap<>((Map<String, Object>) owner);
        Map<String, Object> user = new HashMap<>((Map<String, Object>) copy.get("user"));
        user.values().removeIf(v -> v == null);
        copy.put("user", user);
        return copy;
    }
}
