package dev.meridian.images.engine;

import static dev.meridian.testsupport.Envelopes.error;
import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import dev.meridian.images.UpstreamImagesStub;
import dev.meridian.images.Pictures;

/** The openai-compatible engine against a local server speaking the upstream Images API. */
@QuarkusTest
class UpstreamEngineTest {

    static final String ORG = "org-upstream";
    static final String BREAKER = "image engine upstream";

    @BeforeEach
    void reset() {
        UpstreamImagesStub.UPSTREAM.reset();
        CircuitBreakerMaintenance.get().resetAll();
    }

    @AfterEach
    void up() {
        UpstreamImagesStub.UPSTREAM.down.set(false);
    }

    @Test
    void generationsAskForB64AndAreStoredAndServedByUs() throws Exception {
        Map<String, Object> body = generate(Map.of("model", "upstream-dalle", "prompt", "a boat", "n", 2,
                "size", "512x512")).then().statusCode(200).extract().as(Map.class);
        assertEquals(List.of("/v1/images/generations application/json\n{\"model\":\"dall-e-2\",\"prompt\":\"a boat\","
                + "\"n\":2,\"size\":\"512x512\",\"response_format\":\"b64_json\"}"), UpstreamImagesStub.UPSTREAM.requests);
        assertEquals(List.of("Bearer " + UpstreamImagesStub.API_KEY), UpstreamImagesStub.UPSTREAM.authorizations);
        List<Map<String, Object>> data = (List<Map<String, Object>>) body.get("data");
        assertEquals(2, data.size());
        for (Map<String, Object> image : data) {
            URI url = URI.create((String) image.get("url"));
            byte[] png = given().urlEncodingEnabled(false).get(url.getRawPath() + "?" + url.getRawQuery())
                    .then().statusCode(200).extract().asByteArray();
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(512, decoded.getWidth());
            assertEquals(UpstreamImagesStub.COLOUR, decoded.getRGB(100, 100));
            assertEquals("upstream revised", image.get("revised_prompt"));
        }
    }

    @Test
    void dallE3UpstreamGetsQualityAndStyle() {
        generate(Map.of("model", "upstream-dalle3", "prompt", "a tower", "size", "1024x1792", "quality", "hd",
                "response_format", "b64_json")).then().statusCode(200);
        assertEquals("/v1/images/generations application/json\n{\"model\":\"dall-e-3\",\"prompt\":\"a tower\",\"n\":1,"
                + "\"size\":\"1024x1792\",\"response_format\":\"b64_json\",\"quality\":\"hd\",\"style\":\"vivid\"}",
                UpstreamImagesStub.UPSTREAM.requests.get(0));
    }

    @Test
    void upstreamServerErrorsAreRetriedAsConfigured() {
        UpstreamImagesStub.UPSTREAM.failuresToServe.set(1);
        generate(Map.of("model", "upstream-dalle", "prompt", "a bridge", "size", "256x256")).then().statusCode(200);
        assertEquals(2, UpstreamImagesStub.UPSTREAM.requests.size());

        UpstreamImagesStub.UPSTREAM.reset();
        UpstreamImagesStub.UPSTREAM.failuresToServe.set(2); // one more than meridian.images.upstream.max-retries
        Response response = generate(Map.of("model", "upstream-dalle", "prompt", "a bridge", "size", "256x256"));
        assertEquals(503, response.statusCode());
        assertEquals("1", response.header("retry-after"));
        assertEquals(2, UpstreamImagesStub.UPSTREAM.requests.size());
    }

    @Test
    void anUpstreamThatKeepsFailingIsNoLongerCalledUntilTheBreakerCloses() throws InterruptedException {
        UpstreamImagesStub.UPSTREAM.down.set(true);
        // two attempts each: six failures fill the window configured for these tests (breaker.request-volume=6)
        for (int call = 1; call <= 3; call++) {
            generate(Map.of("model", "upstream-dalle", "prompt", "a dune", "size", "256x256")).then().statusCode(503);
            assertEquals(call < 3 ? CircuitBreakerState.CLOSED : CircuitBreakerState.OPEN,
                    CircuitBreakerMaintenance.get().currentState(BREAKER));
        }
        assertEquals(6, UpstreamImagesStub.UPSTREAM.requests.size());

        UpstreamImagesStub.UPSTREAM.down.set(false);
        Response response = generate(Map.of("model", "upstream-dalle", "prompt", "a dune", "size", "256x256"));
        assertEquals(503, response.statusCode());
        assertEquals(error("The image engine upstream is temporarily unavailable. Please retry your request shortly.",
                "server_error", null, null), response.as(Map.class));
        assertEquals(6, UpstreamImagesStub.UPSTREAM.requests.size());

        // once the configured delay has passed (breaker.delay), a trial call reaches the upstream and closes it
        Thread.sleep(UpstreamImagesStub.BREAKER_DELAY_MILLIS + 200);
        generate(Map.of("model", "upstream-dalle", "prompt", "a dune", "size", "256x256")).then().statusCode(200);
        assertEquals(7, UpstreamImagesStub.UPSTREAM.requests.size());
        assertEquals(CircuitBreakerState.CLOSED, CircuitBreakerMaintenance.get().currentState(BREAKER));
    }

    @Test
    void anUpstreamSilentBeyondTheConfiguredReadTimeoutIsAbandonedAndRetried() {
        UpstreamImagesStub.UPSTREAM.silenceMillis.set(UpstreamImagesStub.READ_TIMEOUT_MILLIS + 1000);
        Response response = generate(Map.of("model", "upstream-dalle", "prompt", "a lake", "size", "256x256"));
        assertEquals(503, response.statusCode());
        assertEquals(error("The image engine upstream is temporarily unavailable. Please retry your request shortly.",
                "server_error", null, null), response.as(Map.class));
        assertEquals(2, UpstreamImagesStub.UPSTREAM.requests.size());
    }

    @Test
    void theUpstreamsRefusalReachesTheCallerAsOurEnvelope() {
        Response response = generate(Map.of("model", "upstream-dalle", "prompt", "REFUSE this", "size", "256x256"));
        response.then().statusCode(400);
        assertEquals(invalidRequest("Your request was rejected by the upstream safety system.", "prompt",
                "content_policy_violation"), response.as(Map.class));
    }

    @Test
    void anUpstreamOutageIsA503() {
        UpstreamImagesStub.UPSTREAM.down.set(true);
        Response response = generate(Map.of("model", "upstream-dalle", "prompt", "a cliff", "size", "256x256"));
        response.then().statusCode(503);
        assertEquals(error("The image engine upstream is temporarily unavailable. Please retry your request shortly.",
                "server_error", null, null), response.as(Map.class));
    }

    @Test
    void variationsAreForwardedAsMultipart() throws Exception {
        byte[] source = Pictures.png(Pictures.pattern(256, false));
        Response response = given().auth().oauth2(Tokens.member(ORG)).multiPart("image", "a.png", source, "image/png")
                .multiPart("model", "upstream-dalle").multiPart("size", "256x256").multiPart("response_format", "b64_json")
                .post("/v1/images/variations");
        response.then().statusCode(200);
        String request = UpstreamImagesStub.UPSTREAM.requests.get(0);
        assertTrue(request.startsWith("/v1/images/variations multipart/form-data"), request);
        assertTrue(request.contains("name=\"image\""), request);
        assertTrue(request.contains("b64_json"), request);
        byte[] png = Base64.getDecoder().decode((String) response.path("data[0].b64_json"));
        assertArrayEquals(new byte[] { (byte) 0x89, 'P', 'N', 'G' }, java.util.Arrays.copyOf(png, 4));
    }

    static Response generate(Object body) {
        return given().auth().oauth2(Tokens.member(ORG)).contentType(ContentType.JSON).body(body)
                .post("/v1/images/generations");
    }
}
