package dev.meridian.images.rest;

import static dev.meridian.testsupport.Envelopes.error;
import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static dev.meridian.testsupport.KafkaBroker.header;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.meridian.common.events.Digests;
import dev.meridian.images.entity.StoredImage;
import dev.meridian.images.service.TimeSource;
import dev.meridian.testsupport.InjectKafka;
import dev.meridian.testsupport.KafkaBroker;
import dev.meridian.testsupport.ModerationStub;
import dev.meridian.testsupport.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
class ImageGenerationsTest {

    static final String ORG = "org-pixels";

    @InjectKafka
    KafkaBroker kafka;

    @AfterEach
    void restore() {
        ModerationStub.down(false);
        QuarkusMock.installMockForType(new TimeSource(), TimeSource.class);
    }

    @Test
    void b64ImagesHaveExactlyTheRequestedCountAndSizeAndAreDeterministic() throws Exception {
        long before = Instant.now().getEpochSecond();
        Map<String, Object> body = generate(Map.of("prompt", "a lighthouse at dusk", "n", 3, "size", "256x256",
                "response_format", "b64_json")).then().statusCode(200).extract().as(Map.class);
        assertEquals(List.of("created", "data"), List.copyOf(body.keySet()));
        assertTrue(((Number) body.get("created")).longValue() >= before);
        List<Map<String, Object>> data = (List<Map<String, Object>>) body.get("data");
        assertEquals(3, data.size());
        for (Map<String, Object> image : data) {
            assertEquals(List.of("b64_json"), List.copyOf(image.keySet()));
            BufferedImage decoded = png((String) image.get("b64_json"));
            assertEquals(256, decoded.getWidth());
            assertEquals(256, decoded.getHeight());
        }
        assertFalse(data.get(0).get("b64_json").equals(data.get(1).get("b64_json")), "images of one request must differ");

        Map<String, Object> again = generate(Map.of("prompt", "a lighthouse at dusk", "n", 1, "size", "256x256",
                "response_format", "b64_json")).then().statusCode(200).extract().as(Map.class);
        assertEquals(data.get(0).get("b64_json"), ((List<Map<String, Object>>) again.get("data")).get(0).get("b64_json"));
    }

    @Test
    void dallE3ReturnsRevisedPromptAndWideSizes() throws Exception {
        Map<String, Object> body = generate(Map.of("model", "dall-e-3", "prompt", "a fox", "size", "1792x1024",
                "quality", "hd", "style", "natural", "response_format", "b64_json")).then().statusCode(200)
                .extract().as(Map.class);
        Map<String, Object> image = ((List<Map<String, Object>>) body.get("data")).get(0);
        assertEquals("a fox — rendered as an abstract procedural composition, natural style, hd quality.",
                image.get("revised_prompt"));
        BufferedImage decoded = png((String) image.get("b64_json"));
        assertEquals(1792, decoded.getWidth());
        assertEquals(1024, decoded.getHeight());
    }

    @Test
    void urlsServeTheImageUntilTheyExpireAndRefuseTampering() throws Exception {
        Map<String, Object> body = generate(Map.of("prompt", "a red kite", "size", "512x512")).then().statusCode(200)
                .extract().as(Map.class);
        Map<String, Object> image = ((List<Map<String, Object>>) body.get("data")).get(0);
        assertEquals(List.of("url"), List.copyOf(image.keySet()));
        URI url = URI.create((String) image.get("url"));
        assertTrue(url.toString().matches("http://127\\.0\\.0\\.1:8080/v1/images/content/img_[0-9A-Za-z]{24}"
                + "\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}"), url.toString());
        String pathAndQuery = url.getRawPath() + "?" + url.getRawQuery();

        byte[] served = given().urlEncodingEnabled(false).get(pathAndQuery).then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        byte[] inline = Base64.getDecoder().decode((String) ((List<Map<String, Object>>) generate(Map.of("prompt",
                "a red kite", "size", "512x512", "response_format", "b64_json")).then().extract().as(Map.class)
                .get("data")).get(0).get("b64_json"));
        assertArrayEquals(inline, served);
        assertEquals(512, ImageIO.read(new ByteArrayInputStream(served)).getWidth());

        long expires = Long.parseLong(url.getRawQuery().replaceAll(".*expires=(\\d+).*", "$1"));
        assertTrue(Math.abs(expires - Instant.now().plus(Duration.ofMinutes(60)).getEpochSecond()) < 30);
        String tampered = pathAndQuery.replaceAll("signature=.", "signature=" + (pathAndQuery.contains("signature=A") ? "B" : "A"));
        Response refused = given().urlEncodingEnabled(false).get(tampered);
        refused.then().statusCode(403);
        assertEquals(invalidRequest("This image URL is not valid: its signature does not match.", null, "invalid_signature"),
                refused.as(Map.class));
        given().urlEncodingEnabled(false).get(pathAndQuery.replace("expires=" + expires, "expires=" + (expires + 3600)))
                .then().statusCode(403);

        TimeSource later = new TimeSource() {
            @Override
            public Instant now() {
                return Instant.now().plus(Duration.ofMinutes(61));
            }
        };
        QuarkusMock.installMockForType(later, TimeSource.class);
        Response expired = given().urlEncodingEnabled(false).get(pathAndQuery);
        expired.then().statusCode(410);
        assertEquals(invalidRequest("This image URL expired at " + Instant.ofEpochSecond(expires)
                + "; image URLs are valid for 60 minutes.", null, "url_expired"), expired.as(Map.class));
    }

    @Test
    void everyRuleIsA400NamingTheParam() {
        List<Object[]> cases = List.of(
                bad(Map.of("n", 1), "prompt", "Missing required parameter: 'prompt'."),
                bad(Map.of("prompt", ""), "prompt", "Invalid 'prompt': string too short. Expected a string with minimum"
                        + " length 1, but got an empty string instead."),
                bad(Map.of("prompt", "p".repeat(1001)), "prompt", "Invalid 'prompt': string too long. Expected a string"
                        + " with maximum length 1000 for dall-e-2, but got a string with length 1001 instead."),
                bad(Map.of("model", "dall-e-3", "prompt", "p".repeat(4001)), "prompt", "Invalid 'prompt': string too long."
                        + " Expected a string with maximum length 4000 for dall-e-3, but got a string with length 4001 instead."),
                bad(Map.of("prompt", "p", "n", 0), "n", "Invalid 'n': expected a value between 1 and 10, but got 0 instead."),
                bad(Map.of("prompt", "p", "n", 11), "n", "Invalid 'n': expected a value between 1 and 10, but got 11 instead."),
                bad(Map.of("model", "dall-e-3", "prompt", "p", "n", 2), "n", "Invalid 'n': dall-e-3 supports only n=1, but got 2."),
                bad(Map.of("model", "ft:dall-e-3:acme:brand:x1", "prompt", "p", "n", 2), "n",
                        "Invalid 'n': dall-e-3 supports only n=1, but got 2."),
                bad(Map.of("prompt", "p", "n", "two"), "n", "Invalid type for 'n': expected an integer."),
                bad(Map.of("prompt", "p", "n", 10_000_000_000L), "n", "Invalid 'n': the number is out of range for an integer."),
                bad(Map.of("prompt", "p", "n", 1.5), "n", "Invalid type for 'n': expected an integer."),
                bad(Map.of("prompt", "p", "n", "3"), "n", "Invalid type for 'n': expected an integer."),
                bad(Map.of("prompt", 123), "prompt", "Invalid type for 'prompt': expected a string."),
                bad(Map.of("prompt", "p", "size", "300x300"), "size", "Invalid value for 'size': '300x300' is not supported"
                        + " for dall-e-2. Supported values are: 256x256, 512x512, 1024x1024."),
                bad(Map.of("model", "dall-e-3", "prompt", "p", "size", "512x512"), "size", "Invalid value for 'size':"
                        + " '512x512' is not supported for dall-e-3. Supported values are: 1024x1024, 1792x1024, 1024x1792."),
                bad(Map.of("prompt", "p", "quality", "hd"), "quality", "Invalid 'quality': 'hd' is only supported for dall-e-3."),
                bad(Map.of("model", "dall-e-3", "prompt", "p", "quality", "ultra"), "quality",
                        "Invalid value for 'quality': 'ultra' is not one of 'standard', 'hd'."),
                bad(Map.of("prompt", "p", "style", "vivid"), "style", "Invalid 'style': this parameter is only supported for dall-e-3."),
                bad(Map.of("model", "dall-e-3", "prompt", "p", "style", "noir"), "style",
                        "Invalid value for 'style': 'noir' is not one of 'vivid', 'natural'."),
                bad(Map.of("prompt", "p", "response_format", "png"), "response_format",
                        "Invalid value for 'response_format': 'png' is not one of 'url', 'b64_json'."),
                bad(Map.of("model", "dall-e-9", "prompt", "p"), "model", "The requested model 'dall-e-9' does not exist."),
                bad(Map.of("model", "gpt-4o", "prompt", "p"), "model",
                        "The model 'gpt-4o' cannot be used with the Images API: it is a chat model."),
                bad(Map.of("model", "unserved-image-model", "prompt", "p"), "model", "The model 'unserved-image-model' is"
                        + " bound to the image engine 'midjourney', which this server does not provide."));
        for (Object[] c : cases) {
            Response response = generate(c[0]);
            assertEquals(400, response.statusCode(), () -> c[1] + ": " + response.asString());
            assertEquals(c[1], response.path("error.param"), response.asString());
            assertEquals(c[2], response.path("error.message"), response.asString());
            assertEquals("invalid_request_error", response.path("error.type"));
        }
    }

    @Test
    void flaggedPromptsAreRefusedAndNothingIsStored() {
        long before = count();
        ModerationStub.clearRequests();
        Response response = generate(Map.of("prompt", "please draw " + ModerationStub.FLAGGED_MARKER));
        response.then().statusCode(400);
        assertEquals(invalidRequest("Your request was rejected as a result of our safety system. Your prompt may contain"
                + " text that is not allowed by our safety system.", null, "content_policy_violation"), response.as(Map.class));
        assertEquals(before, count());
        assertEquals(List.of("{\"input\":\"please draw FLAG-ME\",\"model\":\"omni-moderation-latest\"}"),
                ModerationStub.requests());
    }

    @Test
    void moderationOutageRefusesByDefault() {
        long before = count();
        ModerationStub.down(true);
        Response response = generate(Map.of("prompt", "a calm lake"));
        response.then().statusCode(503).header("retry-after", "1");
        assertEquals(error("The moderation service is temporarily unavailable, so the prompt could not be checked and"
                + " no image was generated. Please retry your request shortly.", "server_error", null, null),
                response.as(Map.class));
        assertEquals(before, count());
    }

    @Test
    void eachImagePublishesImageGenerated() {
        Map<String, Object> body = generate(Map.of("prompt", "an owl", "n", 2, "size", "256x256", "user", "user-42"))
                .then().statusCode(200).extract().as(Map.class);
        for (Map<String, Object> image : (List<Map<String, Object>>) body.get("data")) {
            String id = ((String) image.get("url")).replaceAll(".*/content/([^?]+)\\?.*", "$1");
            List<ConsumerRecord<String, String>> events = kafka.await("meridian.images",
                    r -> id.equals(r.key()) && "meridian.image.generated".equals(header(r, "ce_type")), 1, Duration.ofSeconds(30));
            assertEquals(1, events.size());
            // no prompt text in the event: its SHA-256 and a signed URL to read it while the image exists
            String url = (String) image.get("url");
            String expires = url.replaceAll(".*\\?expires=(\\d+)&.*", "$1");
            String promptUrl = new io.vertx.core.json.JsonObject(events.get(0).value()).getString("prompt_url");
            assertTrue(promptUrl.matches("http://127\\.0\\.0\\.1:8080/v1/images/content/" + id + "/prompt\\?expires="
                    + expires + "&signature=[A-Za-z0-9_-]{43}"), promptUrl);
            assertEquals("{\"image_id\":\"" + id + "\",\"org_id\":\"" + ORG + "\",\"model\":\"dall-e-2\",\"size\":\"256x256\","
                    + "\"prompt_sha256\":\"" + Digests.sha256("an owl") + "\",\"prompt_url\":\"" + promptUrl + "\","
                    + "\"user\":\"user-42\",\"created_at\":" + body.get("created") + ","
                    + "\"url\":\"" + url + "\"}", events.get(0).value());
            URI prompt = URI.create(promptUrl);
            given().urlEncodingEnabled(false).get(prompt.getRawPath() + "?" + prompt.getRawQuery()).then().statusCode(200)
                    .header("Cache-Control", "no-store").contentType(ContentType.JSON)
                    .body(org.hamcrest.Matchers.equalTo("{\"image_id\":\"" + id + "\",\"prompt\":\"an owl\"}"));
            // the image URL, which callers hold, does not open the prompt, nor the prompt URL the image
            URI image1 = URI.create(url);
            Response refused = given().urlEncodingEnabled(false).get(prompt.getRawPath() + "?" + image1.getRawQuery());
            refused.then().statusCode(403);
            assertEquals(error("This image URL is not valid: its signature does not match.", "invalid_request_error",
                    null, "invalid_signature"), refused.as(Map.class));
            given().urlEncodingEnabled(false).get(image1.getRawPath() + "?" + prompt.getRawQuery()).then().statusCode(403);
            assertEquals("/meridian/images-service", header(events.get(0), "ce_source"));
            StoredImage stored = QuarkusTransaction.requiringNew().call(() -> StoredImage.class.cast(
                    io.quarkus.hibernate.orm.panache.Panache.getEntityManager().find(StoredImage.class, id)));
            assertNotNull(stored);
            assertEquals(ORG, stored.orgId);
            assertNull(stored.revokedAt);
            assertEquals(Digests.sha256("an owl"), stored.promptDigest);
        }
    }

    @Test
    void theEventsUrlServesTheImageEvenWhenTheCallerTookItInline() {
        String prompt = "a heron " + java.util.UUID.randomUUID();
        Map<String, Object> body = generate(Map.of("prompt", prompt, "size", "256x256", "response_format", "b64_json"))
                .then().statusCode(200).extract().as(Map.class);
        byte[] inline = Base64.getDecoder().decode((String) ((List<Map<String, Object>>) body.get("data")).get(0)
                .get("b64_json"));
        // the response names no image id: the event is the one with this request's prompt's digest
        ConsumerRecord<String, String> event = kafka.await("meridian.images",
                r -> r.value().contains(Digests.sha256(prompt)), 1, Duration.ofSeconds(30)).get(0);
        String url = new io.vertx.core.json.JsonObject(event.value()).getString("url");
        assertTrue(url.matches("http://127\\.0\\.0\\.1:8080/v1/images/content/" + event.key()
                + "\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}"), url);
        URI uri = URI.create(url);
        byte[] served = given().urlEncodingEnabled(false).get(uri.getRawPath() + "?" + uri.getRawQuery()).then()
                .statusCode(200).contentType("image/png").extract().asByteArray();
        assertArrayEquals(inline, served);
    }

    @Test
    void withoutATokenIs401() {
        given().contentType(ContentType.JSON).body(Map.of("prompt", "x")).post("/v1/images/generations")
                .then().statusCode(401);
    }

    static Response generate(Object body) {
        return given().auth().oauth2(Tokens.member(ORG)).contentType(ContentType.JSON).body(body)
                .post("/v1/images/generations");
    }

    static BufferedImage png(String b64) throws Exception {
        byte[] bytes = Base64.getDecoder().decode(b64);
        assertArrayEquals(new byte[] { (byte) 0x89, 'P', 'N', 'G' }, java.util.Arrays.copyOf(bytes, 4));
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    static long count() {
        return QuarkusTransaction.requiringNew().call(() -> io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                .createQuery("select count(i) from StoredImage i", Long.class).getSingleResult());
    }

    private static Object[] bad(Map<String, Object> body, String param, String message) {
        return new Object[] { new HashMap<>(body), param, message };
    }
}
