package dev.meridian.assistants.rest;

import static dev.meridian.assistants.Api.as;
import dev.meridian.testsupport.CatalogStub;
import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import dev.meridian.assistants.Api;

@QuarkusTest
class AssistantsApiTest {

    /** The 503 of a model check while models-service cannot answer and nothing recent stands in. */
    static final Object CATALOG_AWAY = dev.meridian.testsupport.Envelopes.error("The model catalog is temporarily"
            + " unavailable, so the model could not be checked. Please retry your request shortly.", "server_error", null,
            null);

    final String org = Api.newOrg();

    @jakarta.inject.Inject
    @io.quarkus.cache.CacheName("catalog-models")
    io.quarkus.cache.Cache catalogAnswers;

    @Test
    void createWithOnlyAModelFillsEveryFieldWithItsDefault() {
        long before = Instant.now().getEpochSecond();
        Map<String, Object> body = Api.json(as(org).body(Map.of("model", "gpt-4o")).post("/v1/assistants")
                .then().statusCode(200).extract().response());
        String id = (String) body.get("id");
        assertTrue(id.matches("asst_[0-9A-Za-z]{24}"), id);
        long created = ((Number) body.get("created_at")).longValue();
        assertTrue(created >= before && created <= Instant.now().getEpochSecond());

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", id);
        expected.put("object", "assistant");
        expected.put("created_at", body.get("created_at"));
        expected.put("name", null);
        expected.put("description", null);
        expected.put("model", "gpt-4o");
        expected.put("instructions", null);
        expected.put("tools", List.of());
        expected.put("tool_resources", Map.of());
        expected.put("metadata", Map.of());
        expected.put("temperature", 1.0f);
        expected.put("top_p", 1.0f);
        expected.put("response_format", "auto");
        assertEquals(normalise(expected), normalise(body));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(body.keySet()));
        assertEquals(normalise(expected), normalise(Api.json(as(org).get("/v1/assistants/" + id).then().statusCode(200)
                .extract().response())));
    }

    @Test
    void nullSamplingParametersTakeTheirDefaultsAndAStringForOneIsA400() {
        Map<String, Object> nulls = new LinkedHashMap<>();
        nulls.put("model", "gpt-4o");
        nulls.put("temperature", null);
        nulls.put("top_p", null);
        Map<String, Object> body = Api.json(as(org).body(nulls).post("/v1/assistants").then().statusCode(200).extract()
                .response());
        assertEquals(1.0, ((Number) body.get("temperature")).doubleValue());
        assertEquals(1.0, ((Number) body.get("top_p")).doubleValue());
        Response empty = as(org).body(Map.of("model", "gpt-4o", "temperature", "")).post("/v1/assistants");
        empty.then().statusCode(400);
        assertEquals(invalidRequest("Invalid type for 'temperature': expected a number.", "temperature", null),
                Api.json(empty));
    }

    @Test
    void aNulCharacterInATextFieldIsA400NotA500() {
        Response response = as(org).body(Map.of("model", "gpt-4o", "name", "a\u0000b")).post("/v1/assistants");
        response.then().statusCode(400).contentType("application/json");
        assertEquals(invalidRequest("Invalid value for 'name': text cannot contain the NUL character (\\u0000).", "name",
                null), Api.json(response));
        Response inMetadata = as(org).body(Map.of("model", "gpt-4o", "metadata", Map.of("k", "v\u0000"))).post("/v1/assistants");
        inMetadata.then().statusCode(400);
        assertEquals(invalidRequest("Invalid value for 'metadata.k': text cannot contain the NUL character (\\u0000).",
                "metadata.k", null), Api.json(inMetadata));
        Response listed = as(org).get("/v1/assistants?limit=100");
        assertFalse(listed.asString().contains("a\\u0000b"), "nothing was stored");
    }

    /** The fields kept as JSON trees, and the keys of maps, are checked too, each named by its path. */
    @Test
    void aNulCharacterInsideAJsonTreeOrAKeyIsNamedByItsPath() {
        Map<String, Object> parameters = Map.of("type", "object", "properties",
                Map.of("city", Map.of("type", "string", "description", "the\u0000city")));
        Response inSchema = as(org).body(Map.of("model", "gpt-4o", "tools", List.of(Map.of("type", "function",
                "function", Map.of("name", "weather", "parameters", parameters))))).post("/v1/assistants");
        inSchema.then().statusCode(400).contentType("application/json");
        String path = "tools[0].function.parameters.properties.city.description";
        assertEquals(invalidRequest("Invalid value for '" + path + "': text cannot contain the NUL character (\\u0000).",
                path, null), Api.json(inSchema));

        Response inFormat = as(org).body(Map.of("model", "gpt-4o", "response_format", Map.of("type", "json_schema",
                "json_schema", Map.of("name", "answer", "schema", Map.of("type", "object", "title", "\u0000")))))
                .post("/v1/assistants");
        inFormat.then().statusCode(400);
        assertEquals(invalidRequest("Invalid value for 'response_format.json_schema.schema.title': text cannot contain"
                + " the NUL character (\\u0000).", "response_format.json_schema.schema.title", null), Api.json(inFormat));

        Response inKey = as(org).body(Map.of("model", "gpt-4o", "metadata", Map.of("k\u0000", "v"))).post("/v1/assistants");
        inKey.then().statusCode(400);
        assertEquals(invalidRequest("Invalid value for 'metadata': property names cannot contain the NUL character"
                + " (\\u0000).", "metadata", null), Api.json(inKey));

        // a top-level property is ignored when unknown, but not with a NUL in its name: no object holds it to be named
        Response topLevel = as(org).body(Map.of("model", "gpt-4o", "k\u0000", 1)).post("/v1/assistants");
        topLevel.then().statusCode(400).contentType("application/json");
        assertEquals(invalidRequest("Invalid request: property names cannot contain the NUL character (\\u0000).", null,
                null), Api.json(topLevel));
    }

    @Test
    void everyFieldRoundTrips() {
        Map<String, Object> request = fullRequest();
        Map<String, Object> body = Api.json(as(org).body(request).post("/v1/assistants").then().statusCode(200)
                .extract().response());
        for (Map.Entry<String, Object> field : request.entrySet()) {
            assertEquals(normalise(field.getValue()), normalise(body.get(field.getKey())), field.getKey());
        }
    }

    @Test
    void modifyChangesOnlyTheFieldsSent() {
        String id = Api.createAssistant(org, fullRequest());
        Map<String, Object> before = Api.json(as(org).get("/v1/assistants/" + id).then().extract().response());

        Map<String, Object> after = Api.json(as(org).body(Map.of("name", "Renamed")).post("/v1/assistants/" + id)
                .then().statusCode(200).extract().response());
        Map<String, Object> expected = new HashMap<>(before);
        expected.put("name", "Renamed");
        assertEquals(expected, after);

        Map<String, Object> cleared = new HashMap<>();
        cleared.put("description", null);
        cleared.put("metadata", Map.of("only", "this"));
        cleared.put("model", "gpt-4o-mini");
        after = Api.json(as(org).body(cleared).post("/v1/assistants/" + id).then().statusCode(200).extract().response());
        expected.put("description", null);
        expected.put("metadata", Map.of("only", "this"));
        expected.put("model", "gpt-4o-mini");
        assertEquals(expected, after);
        assertEquals(expected, Api.json(as(org).get("/v1/assistants/" + id).then().extract().response()));
    }

    @Test
    void deleteThenItIsGone() {
        String id = Api.createAssistant(org, Map.of("model", "gpt-4o"));
        as(org).delete("/v1/assistants/" + id).then().statusCode(200)
                .body(equalTo("{\"id\":\"" + id + "\",\"object\":\"assistant.deleted\",\"deleted\":true}"));
        Response gone = as(org).get("/v1/assistants/" + id);
        gone.then().statusCode(404);
        assertEquals(invalidRequest("No assistant found with id '" + id + "'.", null, null), Api.json(gone));
        as(org).delete("/v1/assistants/" + id).then().statusCode(404);
    }

    @Test
    void anotherOrgsAssistantIsNotFoundOnEveryVerbAndNeverListed() {
        String theirs = Api.createAssistant(Api.newOrg(), Map.of("model", "gpt-4o", "name", "theirs"));
        Map<String, Object> notFound = invalidRequest("No assistant found with id '" + theirs + "'.", null, null);
        assertEquals(notFound, Api.json(as(org).get("/v1/assistants/" + theirs).then().statusCode(404).extract().response()));
        assertEquals(notFound, Api.json(as(org).body(Map.of("name", "mine now")).post("/v1/assistants/" + theirs)
                .then().statusCode(404).extract().response()));
        assertEquals(notFound, Api.json(as(org).delete("/v1/assistants/" + theirs).then().statusCode(404).extract().response()));
        List<String> listed = as(org).get("/v1/assistants?limit=100").then().statusCode(200).extract().path("data.id");
        assertFalse(listed.contains(theirs));
    }

    @Test
    void everyFieldRuleIsA400NamingTheParam() {
        List<Object[]> cases = List.of(
                bad(Map.of("name", "x"), "model", "Missing required parameter: 'model'."),
                bad(Map.of("model", "gpt-9"), "model", "The requested model 'gpt-9' does not exist."),
                bad(Map.of("model", "dall-e-3"), "model",
                        "The model 'dall-e-3' cannot be used with the Assistants API: it is an image model."),
                bad(with("name", "n".repeat(257)), "name", "Invalid 'name': must be at most 256 characters."),
                bad(with("description", "d".repeat(513)), "description", "Invalid 'description': must be at most 512 characters."),
                bad(with("instructions", "i".repeat(256_001)), "instructions",
                        "Invalid 'instructions': must be at most 256000 characters."),
                bad(with("tools", IntStream.range(0, 129).mapToObj(i -> Map.of("type", "code_interpreter")).toList()),
                        "tools", "Invalid 'tools': must hold at most 128 tools."),
                bad(with("tools", List.of(Map.of("type", "code_interpreter"), Map.of("type", "file_search"),
                        Map.of("type", "code_interpreter"), Map.of("type", "function", "function", Map.of("name", "bad name!")))),
                        "tools[3].function.name",
                        "Invalid 'tools[3].function.name': must be 1 to 64 characters of a-z, A-Z, 0-9, underscores and dashes."),
                bad(with("tools", List.of(Map.of("type", "browser"))), "tools[0].type",
                        "Invalid 'tools[0].type': must be one of 'code_interpreter', 'file_search', 'function'."),
                bad(with("tools", List.of(Map.of("type", "function"))), "tools[0].function",
                        "Missing required parameter: 'tools[0].function'."),
                bad(with("tools", List.of(Map.of("type", "function", "function", Map.of("name", "f", "parameters", "x")))),
                        "tools[0].function.parameters", "Invalid 'tools[0].function.parameters': expected a JSON Schema object."),
                bad(with("tool_resources", Map.of("code_interpreter", Map.of("file_ids",
                        IntStream.range(0, 21).mapToObj(i -> "file-" + i).toList()))), "tool_resources.code_interpreter.file_ids",
                        "Invalid 'tool_resources.code_interpreter.file_ids': must hold at most 20 file ids."),
                bad(with("tool_resources", Map.of("file_search", Map.of("vector_stores", List.of(Map.of("file_ids",
                        List.of("file-1")))))), "tool_resources.file_search.vector_stores", "Creating vector stores inline"
                        + " is not supported by this server; pass existing ones in"
                        + " 'tool_resources.file_search.vector_store_ids'."),
                bad(with("metadata", metadata(17, 1, 1)), "metadata", "Invalid 'metadata': too many properties. Expected an"
                        + " object with at most 16 properties, but got 17 instead."),
                bad(with("metadata", metadata(1, 65, 1)), "metadata", "Invalid 'metadata': keys must be at most 64 characters,"
                        + " but 'kkkkkkkkkkkkkkkk…' has 65."),
                bad(with("metadata", metadata(1, 1, 513)), "metadata",
                        "Invalid 'metadata': values must be at most 512 characters, but the value of 'k' has 513."),
                bad(with("temperature", 2.5), "temperature", "Invalid 'temperature': must be between 0 and 2."),
                bad(with("top_p", -0.1), "top_p", "Invalid 'top_p': must be between 0 and 1."),
                bad(with("temperature", "hot"), "temperature", "Invalid type for 'temperature': expected a number."),
                bad(with("response_format", "xml"), "response_format", "Invalid value for 'response_format': expected 'auto'"
                        + " or an object with a 'type' of 'text', 'json_object' or 'json_schema'."),
                bad(with("response_format", Map.of("type", "json_schema")), "response_format.json_schema",
                        "Missing required parameter: 'response_format.json_schema'."),
                bad(with("response_format", Map.of("type", "yaml")), "response_format.type",
                        "Invalid value for 'response_format.type': 'yaml' is not one of 'text', 'json_object', 'json_schema'."));
        for (Object[] c : cases) {
            Response response = as(org).body(c[0]).post("/v1/assistants");
            assertEquals(400, response.statusCode(), () -> c[1] + ": " + response.asString());
            Map<String, Object> error = (Map<String, Object>) Api.json(response).get("error");
            assertEquals(c[1], error.get("param"), response.asString());
            assertEquals(c[2], error.get("message"), response.asString());
            assertEquals("invalid_request_error", error.get("type"));
        }
        // codes where OpenAI gives one
        assertEquals("model_not_found", as(org).body(Map.of("model", "gpt-9")).post("/v1/assistants").then().extract()
                .path("error.code"));
    }

    @Test
    void modifyValidatesTooAndCannotClearTheModel() {
        String id = Api.createAssistant(org, Map.of("model", "gpt-4o"));
        Map<String, Object> nullModel = new HashMap<>();
        nullModel.put("model", null);
        as(org).body(nullModel).post("/v1/assistants/" + id).then().statusCode(400)
                .body("error.param", equalTo("model"));
        as(org).body(Map.of("top_p", 3)).post("/v1/assistants/" + id).then().statusCode(400)
                .body("error.param", equalTo("top_p"));
        as(org).body(Map.of("model", "dall-e-3")).post("/v1/assistants/" + id).then().statusCode(400)
                .body("error.code", equalTo("unsupported_model"));
        as(org).get("/v1/assistants/" + id).then().body("model", equalTo("gpt-4o"))
                .body("top_p", equalTo(1.0f));
    }

    @Test
    void theBetaHeaderIsRequired() {
        Response missing = given().auth().oauth2(Tokens.member(org)).contentType(ContentType.JSON)
                .body(Map.of("model", "gpt-4o")).post("/v1/assistants");
        missing.then().statusCode(400);
        assertEquals(invalidRequest("You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try"
                + " again by setting the header 'OpenAI-Beta: assistants=v2'.", null, "invalid_beta"), Api.json(missing));
        Response v1 = given().auth().oauth2(Tokens.member(org)).header("OpenAI-Beta", "assistants=v1")
                .get("/v1/assistants");
        v1.then().statusCode(400);
        assertEquals(invalidRequest("The v1 Assistants API has been deprecated in favor of the v2 API. Please try again"
                + " by setting the header 'OpenAI-Beta: assistants=v2'.", null, "invalid_beta"), Api.json(v1));
        given().auth().oauth2(Tokens.member(org)).header("OpenAI-Beta", "realtime=v1, assistants=v2")
                .get("/v1/assistants").then().statusCode(200);
    }

    @Test
    void withoutATokenIs401() {
        given().header("OpenAI-Beta", "assistants=v2").get("/v1/assistants").then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"));
    }

    @Test
    void catalogOutageIsA503AndNothingIsCreated() {
        CatalogStub.down(true);
        try {
            Response response = as(org).body(Map.of("model", "gpt-4o", "name", "during outage")).post("/v1/assistants");
            response.then().statusCode(503);
            assertEquals(CATALOG_AWAY,
                    Api.json(response));
        } finally {
            CatalogStub.down(false);
        }
        List<String> names = as(org).get("/v1/assistants?limit=100").then().extract().path("data.name");
        assertFalse(names.contains("during outage"));
    }

    /**
     * A model the catalog answered for a moment ago is still accepted while the catalog is away, after the answer has
     * left the cache (emptied here, as 30 s would): the last known answer stands in, for a model and for an unknown one.
     */
    @Test
    void duringACatalogOutageTheLastKnownAnswerStandsIn() {
        Api.createAssistant(org, Map.of("model", "gpt-4o", "name", "before outage"));
        as(org).body(Map.of("model", "no-such-model")).post("/v1/assistants").then().statusCode(400);
        // a refusal from models-service is an answer about this caller, not an outage: nothing earlier overrides it
        catalogAnswers.invalidateAll().await().indefinitely();
        CatalogStub.refusing(true);
        try {
            Response refused = as(org).body(Map.of("model", "gpt-4o")).post("/v1/assistants");
            refused.then().statusCode(503);
            assertEquals(CATALOG_AWAY,
                    Api.json(refused));
        } finally {
            CatalogStub.refusing(false);
        }
        catalogAnswers.invalidateAll().await().indefinitely();
        CatalogStub.down(true);
        Map<String, Object> answered;
        try {
            Response created = as(org).body(Map.of("model", "gpt-4o", "name", "during outage")).post("/v1/assistants");
            created.then().statusCode(200);
            answered = Api.json(created);
            assertEquals("assistant", answered.get("object"));
            assertEquals("gpt-4o", answered.get("model"));
            assertEquals("during outage", answered.get("name"));
            Response unknown = as(org).body(Map.of("model", "no-such-model")).post("/v1/assistants");
            unknown.then().statusCode(400);
            assertEquals(invalidRequest("The requested model 'no-such-model' does not exist.", "model", "model_not_found"),
                    Api.json(unknown));
            // another org's caller never had an answer: nothing stands in
            Response stranger = as(Api.newOrg()).body(Map.of("model", "gpt-4o")).post("/v1/assistants");
            stranger.then().statusCode(503);
            assertEquals(CATALOG_AWAY,
                    Api.json(stranger));
        } finally {
            CatalogStub.down(false);
        }
        // what was created during the outage is stored as answered
        Map<String, Object> stored = Api.json(as(org).get("/v1/assistants/" + answered.get("id")).then().statusCode(200)
                .extract().response());
        assertEquals(answered, stored);
    }

    @Test
    void pagingThrough250VisitsEachExactlyOnceInBothOrdersWithBothCursors() {
        String pager = Api.newOrg();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            created.add(Api.createAssistant(pager, Map.of("model", "gpt-4o", "name", "a" + i)));
        }
        for (String order : List.of("asc", "desc")) {
            List<String> expected = new ArrayList<>(created);
            if (order.equals("desc")) {
                java.util.Collections.reverse(expected);
            }
            List<String> forward = new ArrayList<>();
            String after = null;
            boolean more;
            do {
                Response page = as(pager).queryParam("limit", 40).queryParam("order", order)
                        .queryParams(after == null ? Map.of() : Map.of("after", after)).get("/v1/assistants");
                page.then().statusCode(200).body("object", equalTo("list"));
                List<String> ids = page.path("data.id");
                forward.addAll(ids);
                assertEquals(ids.get(0), page.path("first_id"));
                assertEquals(ids.get(ids.size() - 1), page.path("last_id"));
                after = page.path("last_id");
                more = page.path("has_more");
            } while (more);
            assertEquals(expected, forward, order);

            List<String> backward = new ArrayList<>(List.of(expected.get(249)));
            String before = expected.get(249);
            do {
                Response page = as(pager).queryParam("limit", 40).queryParam("order", order).queryParam("before", before)
                        .get("/v1/assistants");
                List<String> ids = page.path("data.id");
                backward.addAll(0, ids);
                before = page.path("first_id");
                more = page.path("has_more");
            } while (more);
            assertEquals(expected, backward, order);
        }
        List<String> firstPage = as(pager).get("/v1/assistants").then().extract().path("data.id");
        assertEquals(20, firstPage.size());
        assertEquals(created.get(249), firstPage.get(0));
    }

    @Test
    void listParametersAreValidated() {
        for (String limit : List.of("0", "101", "abc")) {
            as(org).queryParam("limit", limit).get("/v1/assistants").then().statusCode(400)
                    .body("error.param", equalTo("limit"));
        }
        as(org).queryParam("order", "newest").get("/v1/assistants").then().statusCode(400)
                .body("error.param", equalTo("order"));
        as(org).queryParam("after", "asst_nope").get("/v1/assistants").then().statusCode(400)
                .body("error.param", equalTo("after"));
    }

    @Test
    void bodiesOverTwoMegabytesAre413() {
        Response response = as(org).body(Map.of("model", "gpt-4o", "instructions", "x".repeat(2 * 1024 * 1024 + 1)))
                .post("/v1/assistants");
        response.then().statusCode(413);
        assertEquals(invalidRequest("Request too large: the body exceeds the size this endpoint accepts.", null, null),
                Api.json(response));
    }

    static Map<String, Object> fullRequest() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("model", "gpt-4o");
        request.put("name", "Math Tutor");
        request.put("description", "Helps with math");
        request.put("instructions", "You are a personal math tutor.");
        request.put("tools", List.of(Map.of("type", "code_interpreter"),
                Map.of("type", "file_search", "file_search", Map.of("max_num_results", 5,
                        "ranking_options", Map.of("ranker", "auto", "score_threshold", 0.5))),
                Map.of("type", "function", "function", Map.of("name", "get_weather", "description", "Weather by city",
                        "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))),
                        "strict", true))));
        request.put("tool_resources", Map.of("code_interpreter", Map.of("file_ids", List.of("file-1", "file-2")),
                "file_search", Map.of("vector_store_ids", List.of("vs_1"))));
        request.put("metadata", Map.of("team", "math", "tier", "gold"));
        request.put("temperature", 0.2);
        request.put("top_p", 0.9);
        request.put("response_format", Map.of("type", "json_schema", "json_schema",
                Map.of("name", "answer", "schema", Map.of("type", "object"), "strict", true)));
        return request;
    }

    private static Object[] bad(Object body, String param, String message) {
        return new Object[] { body, param, message };
    }

    private static Map<String, Object> with(String field, Object value) {
        Map<String, Object> body = new HashMap<>();
        body.put("model", "gpt-4o");
        body.put(field, value);
        return body;
    }

    private static Map<String, String> metadata(int pairs, int keyLength, int valueLength) {
        Map<String, String> metadata = new HashMap<>();
        for (int i = 0; i < pairs; i++) {
            metadata.put(pairs == 1 ? "k".repeat(keyLength) : "k" + i, "v".repeat(valueLength));
        }
        return metadata;
    }

    /** Numbers compared by value whatever their boxed type. */
    private static Object normalise(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, normalise(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(AssistantsApiTest::normalise).toList();
        }
        return value;
    }
}
