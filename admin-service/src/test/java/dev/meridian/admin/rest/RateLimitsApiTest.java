package dev.meridian.admin.rest;

import static dev.meridian.admin.rest.ProjectsApiTest.PROJECTS;
import static dev.meridian.admin.rest.ProjectsApiTest.as;
import static dev.meridian.admin.rest.ProjectsApiTest.createProject;
import static dev.meridian.admin.rest.ProjectsApiTest.org;
import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.meridian.testsupport.InjectKafka;
import dev.meridian.testsupport.KafkaBroker;
import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Project rate limits: one per model of the catalog (as models-service's events describe it), defaults, changes. */
@QuarkusTest
class RateLimitsApiTest {

    @InjectKafka
    KafkaBroker kafka;

    void model(String id, String org, String project, String capability) {
        kafka.send("meridian.models", id, "{\"id\":\"" + id + "\",\"created\":1,\"owned_by\":\"x\",\"org_id\":"
                + (org == null ? "null" : "\"" + org + "\"") + ",\"project_id\":" + (project == null ? "null" : "\"" + project + "\"")
                + ",\"capability\":\"" + capability + "\",\"engine\":\"builtin\",\"upstream_model\":null,\"actor\":\"system\"}",
                Map.of("ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_source", "/meridian/models-service",
                        "ce_type", "meridian.model.created", "content-type", "application/json"));
    }

    static Map<String, Object> limit(String model, int rpm, int tpm, Integer images, Integer rpd, Integer batch) {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("object", "project.rate_limit");
        expected.put("id", "rl-" + model);
        expected.put("model", model);
        expected.put("max_requests_per_1_minute", rpm);
        expected.put("max_tokens_per_1_minute", tpm);
        if (images != null) {
            expected.put("max_images_per_1_minute", images);
        }
        if (rpd != null) {
            expected.put("max_requests_per_1_day", rpd);
        }
        if (batch != null) {
            expected.put("batch_1_day_max_input_tokens", batch);
        }
        return expected;
    }

    @Test
    void oneLimitPerModelWithDefaultsThenChanges() {
        String org = org();
        String project = createProject(org, "Limited").get("id").toString();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String base = "aa-base-" + suffix;
        String image = "aa-image-" + suffix;
        String tuned = "ft:aa:" + suffix;
        model(base, null, null, "chat");
        model(image, null, null, "image");
        model(tuned, org, project, "chat");
        model("ft:other:" + suffix, org, "proj_elsewhere", "chat");
        String url = PROJECTS + "/" + project + "/rate_limits";
        await().atMost(Duration.ofSeconds(30)).until(() -> as(Tokens.owner(org)).get(url).then().extract()
                .jsonPath().getList("data.model").contains(tuned));

        as(Tokens.member(org)).get(url).then().statusCode(404);
        // a member not in the project sees nothing; the owner sees every model it may use, in id order
        Map<String, Object> page = as(Tokens.owner(org)).queryParam("limit", 100).get(url).then().statusCode(200).extract().as(Map.class);
        List<Map<String, Object>> all = (List<Map<String, Object>>) page.get("data");
        List<String> models = all.stream().map(m -> m.get("model").toString()).toList();
        assertEquals(List.of(base, image), models.subList(0, 2), "ids sort first with the aa- prefix");
        assertEquals(false, models.contains("ft:other:" + suffix));
        assertEquals(limit(base, 500, 200000, null, 100000, 2000000), all.get(0));
        assertEquals(limit(image, 500, 150000, 50, null, null), all.get(1));

        // paged with after
        Map<String, Object> first = as(Tokens.owner(org)).queryParam("limit", 1).get(url).as(Map.class);
        assertEquals("rl-" + base, first.get("last_id"));
        assertEquals(true, first.get("has_more"));
        Map<String, Object> second = as(Tokens.owner(org)).queryParam("limit", 1).queryParam("after", "rl-" + base).get(url).as(Map.class);
        assertEquals("rl-" + image, second.get("first_id"));

        // an organization owner changes one; the change is published for every service
        Map<String, Object> changed = as(Tokens.owner(org)).body(Map.of("max_requests_per_1_minute", 3, "max_images_per_1_minute", 0))
                .post(url + "/rl-" + image).then().statusCode(200).extract().as(Map.class);
        assertEquals(limit(image, 3, 150000, 0, null, null), changed);
        ConsumerRecord<String, String> event = kafka.await("meridian.projects", r -> r.value().contains("\"model\":\"" + image + "\""),
                1, Duration.ofSeconds(30)).get(0);
        assertEquals("meridian.rate_limit.updated", KafkaBroker.header(event, "ce_type"));
        assertEquals("{\"project_id\":\"" + project + "\",\"model\":\"" + image + "\",\"max_requests_per_1_minute\":3,"
                + "\"max_tokens_per_1_minute\":150000,\"max_images_per_1_minute\":0,\"max_audio_megabytes_per_1_minute\":null,"
                + "\"max_requests_per_1_day\":null,\"batch_1_day_max_input_tokens\":null}", event.value());
        assertEquals(changed, as(Tokens.owner(org)).queryParam("after", "rl-" + base).queryParam("limit", 1).get(url)
                .jsonPath().getMap("data[0]"));

        // what the enforcing services ask, with the caller's own credential
        String key = as(Tokens.owner(org)).body(Map.of()).post(PROJECTS + "/" + project + "/api_keys").then().statusCode(200)
                .extract().path("value");
        assertEquals(3, (int) given().auth().oauth2(key).queryParam("capability", "image").get("/internal/v1/rate_limits/" + image)
                .then().statusCode(200).extract().path("max_requests_per_1_minute"));

        // rules
        as(Tokens.member(org)).body(Map.of("max_requests_per_1_minute", 1)).post(url + "/rl-" + image).then().statusCode(404);
        assertEquals(invalidRequest("Invalid 'max_requests_per_1_minute': integer below minimum value. Expected a value >= 0,"
                + " but got -1 instead.", "max_requests_per_1_minute", "integer_below_min_value"),
                as(Tokens.owner(org)).body(Map.of("max_requests_per_1_minute", -1)).post(url + "/rl-" + image).then()
                        .statusCode(400).extract().as(Map.class));
        assertEquals(invalidRequest("Invalid 'max_images_per_1_minute': this limit does not apply to the model.",
                "max_images_per_1_minute", null), as(Tokens.owner(org)).body(Map.of("max_images_per_1_minute", 5))
                        .post(url + "/rl-" + base).then().statusCode(400).extract().as(Map.class));
        as(Tokens.owner(org)).body(Map.of("max_requests_per_1_minute", 1)).post(url + "/rl-nope").then().statusCode(404);
        given().contentType(ContentType.JSON).get(url).then().statusCode(401);
    }
}
