package dev.meridian.moderation.rest;

import static dev.meridian.testsupport.Envelopes.error;
import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static dev.meridian.testsupport.KafkaBroker.header;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.meridian.moderation.TestTexts.BENIGN;
import static dev.meridian.moderation.TestTexts.CLASSIFIER;
import static dev.meridian.moderation.TestTexts.THREAT;
import static dev.meridian.moderation.TestTexts.THRESHOLDS;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.moderation.builtin.BuiltinClassifier;
import dev.meridian.moderation.engine.Taxonomy;
import dev.meridian.testsupport.CatalogStub;
import dev.meridian.testsupport.InjectKafka;
import dev.meridian.testsupport.KafkaBroker;
import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** {@code POST /v1/moderations} with the built-in engine: every input form, every error, the taxonomies, the event. */
@QuarkusTest
class ModerationsApiTest {

    static final String ORG = "org-mod";
    @InjectKafka
    KafkaBroker kafka;

    static Response post(Object body) {
        return given().auth().oauth2(Tokens.member(ORG)).contentType(ContentType.JSON).body(body).post("/v1/moderations");
    }

    /** The engine builtin's escalation to the sentence embedding, as configured. */
    static final double ESCALATION = org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("meridian.moderation.builtin.embedding.escalation", Double.class);

    /** The result the built-in engine must give for a text under the omni or text taxonomy, every field. */
    static Map<String, Object> expected(String text, Taxonomy taxonomy) {
        return expected(t -> CLASSIFIER.cascadeScores(t, ESCALATION), text, taxonomy);
    }

    /** The two texts most tests send take the cascade's two paths, so the endpoint's answers test both. */
    @Test
    void theBenignTextStopsAtTheTokenEmbeddingAndTheThreatGoesOnToTheSentenceEmbedding() {
        assertEquals(CLASSIFIER.fastScores(BENIGN), CLASSIFIER.cascadeScores(BENIGN, ESCALATION));
        assertNotEquals(CLASSIFIER.scores(BENIGN), CLASSIFIER.fastScores(BENIGN));
        assertEquals(CLASSIFIER.scores(THREAT), CLASSIFIER.cascadeScores(THREAT, ESCALATION));
        assertNotEquals(CLASSIFIER.scores(THREAT), CLASSIFIER.fastScores(THREAT));
    }

    static Map<String, Object> expected(Function<String, Map<String, Double>> classifier, String text,
            Taxonomy taxonomy) {
        Map<String, Double> scores = classifier.apply(text);
        Map<String, Object> categories = new java.util.LinkedHashMap<>();
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        Map<String, Object> applied = new java.util.LinkedHashMap<>();
        boolean flagged = false;
        for (String c : Taxonomy.ALL) {
            boolean has = taxonomy.has(c);
            boolean flag = has && scores.get(c) >= THRESHOLDS.get(c);
            flagged |= flag;
            categories.put(c, has ? flag : null);
            out.put(c, has ? scores.get(c) : 0.0);
            applied.put(c, has ? List.of("text") : List.of());
        }
        return Map.of("flagged", flagged, "categories", categories, "category_scores", out,
                "category_applied_input_types", applied);
    }

    @Test
    void aSingleStringGetsOneResultWithTheWholeOmniTaxonomy() {
        Map<String, Object> body = post(Map.of("input", THREAT)).then().statusCode(200).extract().as(Map.class);
        assertTrue(body.get("id").toString().matches("modr-[0-9A-Za-z]{24}"), body.get("id").toString());
        assertEquals("omni-moderation-latest", body.get("model"));
        assertEquals(List.of(expected(THREAT, Taxonomy.OMNI)), body.get("results"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) ((List<?>) body.get("results")).get(0)).get("flagged"));
        assertEquals(3, body.size());
    }

    @Test
    void anArrayOfStringsGetsOneResultPerString() {
        Map<String, Object> body = post(Map.of("input", List.of(BENIGN, THREAT, ""), "model", "omni-moderation-2024-09-26"))
                .then().statusCode(200).extract().as(Map.class);
        assertEquals("omni-moderation-2024-09-26", body.get("model"));
        assertEquals(List.of(expected(BENIGN, Taxonomy.OMNI), expected(THREAT, Taxonomy.OMNI), expected("", Taxonomy.OMNI)),
                body.get("results"));
    }

    @Test
    void aMultimodalArrayOfTextPartsGetsOneCombinedResult() {
        Map<String, Object> body = post(Map.of("input", List.of(Map.of("type", "text", "text", "i will kill you"),
                Map.of("type", "text", "text", "you worthless idiot")))).then().statusCode(200).extract().as(Map.class);
        assertEquals(List.of(expected("i will kill you\nyou worthless idiot", Taxonomy.OMNI)), body.get("results"));
    }

    @Test
    void textModelsAnswerWithTheirElevenCategoriesAndNullForIllicit() {
        for (String model : List.of("text-moderation-latest", "text-moderation-stable")) {
            Map<String, Object> body = post(Map.of("input", THREAT, "model", model)).then().statusCode(200)
                    .extract().as(Map.class);
            assertEquals(model, body.get("model"));
            assertEquals(List.of(expected(THREAT, Taxonomy.TEXT)), body.get("results"));
        }
    }

    @Test
    void aModelBoundToTheFastEngineIsScoredWithTheTokenEmbedding() {
        Map<String, Object> body = post(Map.of("input", List.of(THREAT, BENIGN), "model", "fast-moderation"))
                .then().statusCode(200).extract().as(Map.class);
        assertEquals("fast-moderation", body.get("model"));
        assertEquals(List.of(expected(CLASSIFIER::fastScores, THREAT, Taxonomy.OMNI),
                expected(CLASSIFIER::fastScores, BENIGN, Taxonomy.OMNI)), body.get("results"));
        // neither the builtin engine's answer nor the lexical model's alone
        assertNotEquals(List.of(expected(THREAT, Taxonomy.OMNI), expected(BENIGN, Taxonomy.OMNI)), body.get("results"));
        BuiltinClassifier lexical = new BuiltinClassifier();
        assertNotEquals(List.of(expected(lexical::scores, THREAT, Taxonomy.OMNI),
                expected(lexical::scores, BENIGN, Taxonomy.OMNI)), body.get("results"));
    }

    @Test
    void obfuscatedInputIsFlaggedLikeThePlainText() {
        Map<String, Object> plain = post(Map.of("input", THREAT)).then().statusCode(200).extract().as(Map.class);
        for (String disguised : List.of("і wіll kіll уоu аnd burn уоur hοusе, уоu wоrthlеss іdіоt",
                "i w1ll k1ll y0u and burn y0ur h0use, y0u w0rthl3ss 1d10t",
                "I WiLL K.I.L.L YoU AnD b u r n YoUr HoUsE, yOu WoRtHlEsSsSs IdIoOoT")) {
            Map<String, Object> body = post(Map.of("input", disguised)).then().statusCode(200).extract().as(Map.class);
            assertEquals(plain.get("results"), body.get("results"), disguised);
        }
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of(Map.of(), "input", "Missing required parameter: 'input'.", null),
                Arguments.of(Map.of("input", ""), "input", "'input' is empty: give a non-empty string, an array of"
                        + " strings, or an array of text and image_url objects.", null),
                Arguments.of(Map.of("input", List.of()), "input", "'input' is an empty array: give at least one string"
                        + " or object.", null),
                Arguments.of(Map.of("input", 42), "input", "Invalid type for 'input': expected a string, an array of"
                        + " strings, or an array of objects, but got a number.", null),
                Arguments.of(Map.of("input", List.of("a", 3)), "input[1]", "Invalid type for 'input[1]': expected a"
                        + " string like the other items, but got a number.", null),
                Arguments.of(Map.of("input", List.of(Map.of("type", "text", "text", "a"), "b")), "input[1]",
                        "Invalid type for 'input[1]': expected an object like the other items ({\"type\": \"text\","
                                + " ...} or {\"type\": \"image_url\", ...}), but got a string.", null),
                Arguments.of(Map.of("input", List.of(Map.of("type", "audio"))), "input[0].type",
                        "Invalid value for 'input[0].type': 'audio'. Supported values are: 'text' and 'image_url'.",
                        "invalid_value"),
                Arguments.of(Map.of("input", List.of(Map.of("text", "a"))), "input[0].type",
                        "Missing required parameter: 'input[0].type' (\"text\" or \"image_url\").", null),
                Arguments.of(Map.of("input", List.of(Map.of("type", "text"))), "input[0].text",
                        "Missing required parameter: 'input[0].text'.", null),
                Arguments.of(Map.of("input", List.of(Map.of("type", "text", "text", 5))), "input[0].text",
                        "Invalid type for 'input[0].text': expected a string, but got a number.", null),
                Arguments.of(Map.of("input", List.of(Map.of("type", "image_url", "image_url", Map.of()))),
                        "input[0].image_url.url", "Missing required parameter: 'input[0].image_url.url' (an https URL"
                                + " or a data: URL of the image).", null),
                Arguments.of(Map.of("input", List.of(Map.of("type", "image_url", "image_url", "https://example.com/a.png"))),
                        "input[0].image_url", "Invalid type for 'input[0].image_url': expected an object ({\"url\":"
                                + " ...}), but got a string.", null),
                Arguments.of(Map.of("input", List.of(Map.of("type", "image_url", "image_url", Map.of("url", 5)))),
                        "input[0].image_url.url", "Invalid type for 'input[0].image_url.url': expected a string, but"
                                + " got a number.", null),
                Arguments.of(Map.of("input", List.of(Map.of("type", 1, "text", "a"))), "input[0].type",
                        "Invalid type for 'input[0].type': expected \"text\" or \"image_url\", but got a number.", null),
                Arguments.of(Map.of("input", java.util.Collections.nCopies(33, "x")), "input",
                        "'input' has 33 items; at most 32 are accepted in one request.", null),
                Arguments.of(Map.of("input", "x".repeat(100_001)), "input", "'input' has 100001 characters of text; at"
                        + " most 100000 are accepted in one request. Split it over several requests.", null),
                Arguments.of(Map.of("input", "a", "model", 7), "model",
                        "Invalid type for 'model': expected a model id string, but got a number.", null),
                Arguments.of(Map.of("input", "a", "model", "dall-e-2"), "model", "The model 'dall-e-2' cannot be used"
                        + " with the Moderations API: it is an image model.", "unsupported_model"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void badInputIsA400NamingTheParameter(Map<String, Object> body, String param, String message, String code) {
        Response r = post(body);
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals(invalidRequest(message, param, code), r.as(Map.class));
    }

    @Test
    void anUnknownModelIsA404() {
        Response r = post(Map.of("input", "a", "model", "omni-moderation-9"));
        assertEquals(404, r.statusCode());
        assertEquals(invalidRequest("The requested model 'omni-moderation-9' does not exist.", "model",
                "model_not_found"), r.as(Map.class));
    }

    @Test
    void aModelBoundToAnEngineThisServiceLacksIsA503() {
        Response r = post(Map.of("input", "a", "model", "unserved-moderation"));
        assertEquals(503, r.statusCode());
        assertEquals(error("The model 'unserved-moderation' is bound to the engine 'perspective', which this server"
                + " does not run.", "server_error", null, null), r.as(Map.class));
    }

    /** An org that never asked for the model: nothing known to fall back on (see ModelCatalog's stale-if-error). */
    @Test
    void aCatalogOutageIsA503() {
        CatalogStub.down(true);
        try {
            Response r = given().auth().oauth2(Tokens.member("org-mod-outage")).contentType(ContentType.JSON)
                    .body(Map.of("input", "a", "model", "omni-moderation-latest")).post("/v1/moderations");
            assertEquals(503, r.statusCode());
            assertEquals(error("The model catalog is temporarily unavailable, so the model could not be checked."
                    + " Please retry your request shortly.", "server_error", null, null), r.as(Map.class));
        } finally {
            CatalogStub.down(false);
        }
    }

    @Test
    void malformedJsonAndMissingTokenGetEnvelopes() {
        Response r = given().auth().oauth2(Tokens.member(ORG)).contentType(ContentType.JSON).body("{\"input\":")
                .post("/v1/moderations");
        assertEquals(400, r.statusCode());
        assertEquals("invalid_request_error", r.path("error.type"));
        Response unauthenticated = given().contentType(ContentType.JSON).body(Map.of("input", "a")).post("/v1/moderations");
        assertEquals(401, unauthenticated.statusCode());
        assertEquals("invalid_api_key", unauthenticated.path("error.code"));
    }

    @Test
    void everyRequestPublishesModerationCompletedWithDigestsNotContent() throws Exception {
        String text = THREAT + " " + System.nanoTime();
        Map<String, Object> body = post(Map.of("input", List.of(text, BENIGN))).then().statusCode(200).extract().as(Map.class);
        String id = body.get("id").toString();
        List<ConsumerRecord<String, String>> records = kafka.await("meridian.moderations", r -> id.equals(r.key()), 1,
                Duration.ofSeconds(30));
        ConsumerRecord<String, String> record = records.get(0);
        assertEquals("meridian.moderation.completed", header(record, "ce_type"));
        assertEquals("/meridian/moderation-service", header(record, "ce_source"));
        assertEquals(id, header(record, "ce_subject"));
        List<?> results = (List<?>) body.get("results");
        List<String> flaggedCategories = Taxonomy.ALL.stream().filter(c -> results.stream()
                .anyMatch(r -> Boolean.TRUE.equals(((Map<?, ?>) ((Map<?, ?>) r).get("categories")).get(c)))).toList();
        assertFalse(flaggedCategories.isEmpty(), "the insult must flag something: " + results);
        Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put("id", id);
        expected.put("org_id", ORG);
        expected.put("model", "omni-moderation-latest");
        expected.put("flagged", true);
        expected.put("categories", flaggedCategories);
        expected.put("inputs", List.of(
                input(0, "text", sha256(text), text.length()),
                input(1, "text", sha256(BENIGN), BENIGN.length())));
        assertEquals(expected, new ObjectMapper().readValue(record.value(), Map.class));
        assertFalse(record.value().contains("worthless"), "raw content must not travel by default");
    }

    static Map<String, Object> input(int index, String type, String sha256, Integer characters) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("index", index);
        m.put("type", type);
        m.put("sha256", sha256);
        m.put("characters", characters);
        m.put("content", null);
        return m;
    }

    static String sha256(String text) throws Exception {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
