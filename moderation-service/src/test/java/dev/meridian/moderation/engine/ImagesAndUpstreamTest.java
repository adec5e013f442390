package dev.meridian.moderation.engine;

import static dev.meridian.testsupport.Envelopes.error;
import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.moderation.builtin.ImageClassifier;
import dev.meridian.moderation.builtin.SampleImages;
import dev.meridian.moderation.engine.Taxonomy;
import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import dev.meridian.moderation.TestImages;
import dev.meridian.moderation.UpstreamModerationStub;
import dev.meridian.moderation.TestTexts;

/** Image inputs (data URLs, fetching, the SSRF guard) and the openai-compatible engine against its stand-in. */
@QuarkusTest
class ImagesAndUpstreamTest {

    static final String ORG = "org-img";

    @BeforeEach
    void reset() {
        UpstreamModerationStub.UPSTREAM.reset();
    }

    static Response post(Object body) {
        return given().auth().oauth2(Tokens.member(ORG)).contentType(ContentType.JSON).body(body).post("/v1/moderations");
    }

    static byte[] image(String format) throws Exception {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    static Map<String, Object> imagePart(String url) {
        return Map.of("type", "image_url", "image_url", Map.of("url", url));
    }

    static String dataUrl(String type, byte[] bytes) {
        return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** A 64x48 colour gradient, so the image classifier has something to read. */
    static byte[] gradient(String format) {
        return SampleImages.encoded(SampleImages.gradient(), format);
    }

    private static Map<?, ?> firstResult(Map<String, Object> body) {
        return (Map<?, ?>) ((List<?>) body.get("results")).get(0);
    }

    @Test
    void theBuiltinEngineJudgesImagesForSexualContentOnly() throws Exception {
        byte[] png = gradient("png");
        byte[] jpeg = gradient("jpg");
        byte[] gif = gradient("gif");
        double pngSexual;
        double jpegSexual;
        double gifSexual;
        try (ImageClassifier reference = new ImageClassifier()) {
            pngSexual = reference.sexual(ImageClassifier.decode(png, Long.MAX_VALUE));
            jpegSexual = reference.sexual(ImageClassifier.decode(jpeg, Long.MAX_VALUE));
            gifSexual = reference.sexual(ImageClassifier.decode(gif, Long.MAX_VALUE));
        }
        assertTrue(pngSexual < 0.5 && jpegSexual < 0.5 && gifSexual < 0.5, pngSexual + " " + jpegSexual + " " + gifSexual);

        // text and image: sexual reads both and scores the higher, every other category reads the text alone
        Map<?, ?> textAlone = firstResult(post(Map.of("input", "a calm lake")).then().statusCode(200).extract().as(Map.class));
        Map<?, ?> result = firstResult(post(Map.of("input", List.of(Map.of("type", "text", "text", "a calm lake"),
                imagePart(dataUrl("image/png", png))))).then().statusCode(200).extract().as(Map.class));
        Map<?, ?> applied = (Map<?, ?>) result.get("category_applied_input_types");
        Map<?, ?> scores = (Map<?, ?>) result.get("category_scores");
        Map<?, ?> textScores = (Map<?, ?>) textAlone.get("category_scores");
        Taxonomy.ALL.forEach(c -> {
            assertEquals(c.equals("sexual") ? List.of("text", "image") : List.of("text"), applied.get(c), c);
            assertEquals(c.equals("sexual") ? Math.max((Double) textScores.get(c), pngSexual) : textScores.get(c),
                    scores.get(c), c);
        });
        assertEquals(false, result.get("flagged"));

        // images alone: sexual is the highest image's score, nothing else is evaluated
        Map<?, ?> onlyImages = firstResult(post(Map.of("input", List.of(imagePart(dataUrl("image/jpeg", jpeg)),
                imagePart(dataUrl("image/gif", gif))))).then().statusCode(200).extract().as(Map.class));
        assertEquals(false, onlyImages.get("flagged"));
        Taxonomy.ALL.forEach(c -> {
            assertEquals(c.equals("sexual") ? List.of("image") : List.of(),
                    ((Map<?, ?>) onlyImages.get("category_applied_input_types")).get(c), c);
            assertEquals(c.equals("sexual") ? Math.max(jpegSexual, gifSexual) : 0.0,
                    ((Map<?, ?>) onlyImages.get("category_scores")).get(c), c);
            assertEquals(false, ((Map<?, ?>) onlyImages.get("categories")).get(c), c);
        });
    }

    @Test
    void anImageFlagsSexualAtTheImageThresholdNotTheTextOne() {
        double imageThreshold = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("meridian.moderation.builtin.images.threshold", Double.class);
        double textThreshold = TestTexts.THRESHOLDS.get("sexual");
        double[] scores = TestImages.sexual(TestImages.STRONG, TestImages.MIDDLING);
        assertTrue(scores[0] >= imageThreshold, "strong: " + scores[0]);
        assertTrue(scores[1] >= textThreshold && scores[1] < imageThreshold, "middling: " + scores[1]);
        for (int i = 0; i < 2; i++) {
            byte[] png = i == 0 ? TestImages.STRONG : TestImages.MIDDLING;
            Map<?, ?> r = firstResult(post(Map.of("input", List.of(imagePart(dataUrl("image/png", png)))))
                    .then().statusCode(200).extract().as(Map.class));
            boolean strong = i == 0;
            assertEquals(strong, r.get("flagged"));
            Taxonomy.ALL.forEach(c -> {
                assertEquals(c.equals("sexual") && strong, ((Map<?, ?>) r.get("categories")).get(c), c);
                assertEquals(c.equals("sexual") ? scores[strong ? 0 : 1] : 0.0,
                        ((Map<?, ?>) r.get("category_scores")).get(c), c);
            });
        }
    }

    @Test
    void webpImagesAreJudgedLikeAnyOther() throws Exception {
        double png = TestImages.sexual(SampleImages.GRADIENT_PNG)[0];
        double lossy = TestImages.sexual(SampleImages.GRADIENT_WEBP_LOSSY)[0];
        // lossless: the same pixels as the PNG, so exactly its score; lossy: what the model makes of its own pixels
        for (Map.Entry<byte[], Double> webp : List.of(Map.entry(SampleImages.GRADIENT_WEBP_LOSSLESS, png),
                Map.entry(SampleImages.GRADIENT_WEBP_LOSSY, lossy))) {
            Map<?, ?> r = firstResult(post(Map.of("input", List.of(imagePart(dataUrl("image/webp", webp.getKey())))))
                    .then().statusCode(200).extract().as(Map.class));
            assertEquals(false, r.get("flagged"));
            Taxonomy.ALL.forEach(c -> {
                assertEquals(c.equals("sexual") ? List.of("image") : List.of(),
                        ((Map<?, ?>) r.get("category_applied_input_types")).get(c), c);
                assertEquals(c.equals("sexual") ? webp.getValue() : 0.0, ((Map<?, ?>) r.get("category_scores")).get(c), c);
            });
        }
        assertTrue(Math.abs(lossy - png) > 1e-6, "the lossy one must differ from the PNG: " + lossy + " " + png);
    }

    @Test
    void damagedImagesAreCheckedButNotJudged() throws Exception {
        byte[] png = gradient("png");
        // the headers pass the checks, the image data ends half-way (the WebP's RIFF size says so too)
        byte[] damagedPng = java.util.Arrays.copyOf(png, png.length / 2);
        byte[] damagedWebp = java.util.Arrays.copyOf(SampleImages.GRADIENT_WEBP_LOSSY, SampleImages.GRADIENT_WEBP_LOSSY.length / 2);
        damagedWebp[4] = (byte) (damagedWebp.length - 8);
        damagedWebp[5] = 0;
        for (String url : List.of(dataUrl("image/png", damagedPng), dataUrl("image/webp", damagedWebp))) {
            Map<?, ?> r = firstResult(post(Map.of("input", List.of(imagePart(url))))
                    .then().statusCode(200).extract().as(Map.class));
            assertEquals(false, r.get("flagged"));
            Taxonomy.ALL.forEach(c -> {
                assertEquals(List.of(), ((Map<?, ?>) r.get("category_applied_input_types")).get(c), c);
                assertEquals(0.0, ((Map<?, ?>) r.get("category_scores")).get(c), c);
            });
        }
    }

    @Test
    void gifAndWebpDataUrlsAreAccepted() throws Exception {
        post(Map.of("input", List.of(imagePart(dataUrl("image/gif", image("gif")))))).then().statusCode(200);
        post(Map.of("input", List.of(imagePart(dataUrl("image/webp", SampleImages.GRADIENT_WEBP_LOSSY)))))
                .then().statusCode(200);
    }

    static void assertBad(Object url, String message, String code) {
        Response r = post(Map.of("input", List.of(Map.of("type", "text", "text", "x"), imagePart(url.toString()))));
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals(invalidRequest(message, "input[1].image_url.url", code), r.as(Map.class));
    }

    @Test
    void malformedOrUnsupportedImagesAreRefused() throws Exception {
        assertBad(dataUrl("image/bmp", image("bmp")), "The image at 'input[1].image_url.url' has the unsupported type"
                + " 'image/bmp'. Supported types are: image/png, image/jpeg, image/webp and image/gif.", "invalid_image_format");
        assertBad(dataUrl("image/png", image("jpg")), "The image at 'input[1].image_url.url' is not a valid PNG image"
                + " (its content is image/jpeg). Supported formats are PNG, JPEG, WebP and GIF.", "invalid_image_format");
        byte[] truncated = java.util.Arrays.copyOf(image("png"), 12);
        assertBad(dataUrl("image/png", truncated), "The image at 'input[1].image_url.url' is not a valid PNG image."
                + " Supported formats are PNG, JPEG, WebP and GIF.", "invalid_image_format");
        // a WebP cut short of its RIFF size, and one whose VP8L header ends before its dimensions
        byte[] cut = java.util.Arrays.copyOf(SampleImages.GRADIENT_WEBP_LOSSY, 100);
        byte[] headless = {'R', 'I', 'F', 'F', 20, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'L', 8, 0, 0, 0,
            0x2f, 0, 0, 0, 0, 0, 0, 0};
        for (byte[] webp : List.of(cut, headless)) {
            assertBad(dataUrl("image/webp", webp), "The image at 'input[1].image_url.url' is not a valid WebP image."
                    + " Supported formats are PNG, JPEG, WebP and GIF.", "invalid_image_format");
        }
        assertBad("data:image/png;base64,@@@@", "The image URL at 'input[1].image_url.url' is not valid base64 after"
                + " 'base64,'.", "invalid_image_url");
        assertBad("data:image/png,plain", "The image URL at 'input[1].image_url.url' is not a valid data URL: expected"
                + " data:image/<type>;base64,<data>.", "invalid_image_url");
        assertBad("ftp://example.com/a.png", "The image URL at 'input[1].image_url.url' must be an https URL or a data:"
                + " URL.", "invalid_image_url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://localhost/a.png", "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.7/a.png", "https://192.168.1.1/a.png", "https://[::1]/a.png", "https://[::ffff:127.0.0.1]/a.png",
        "https://[fd00::1]/a.png", "https://0.0.0.0/a.png", "https://127.0.0.2:8443/a.png"})
    void privateLoopbackAndLinkLocalAddressesAreNotFetched(String url) {
        assertBad(url, "The image URL at 'input[1].image_url.url' points to a private, loopback or link-local address,"
                + " which this server does not fetch.", "image_url_forbidden");
    }

    @Test
    void plainHttpIsOnlyForAllowListedHosts() {
        assertBad("http://example.com/a.png", "The image URL at 'input[1].image_url.url' must use https; plain http is"
                + " only accepted for hosts the operators allow-listed.", "invalid_image_url");
    }

    @Test
    void anAllowListedHostIsFetchedWithItsContentTypeSizeAndTimeChecked() throws Exception {
        // refusing an image is ordinary bad input: nothing may be logged as an error for it (Vert.x logs a reset
        // response nobody listens to as one)
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                    errors.add(record.getLoggerName() + ": " + record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(handler);
        try {
            refusedFetches();
        } finally {
            root.removeHandler(handler);
        }
        assertEquals(List.of(), errors);
    }

    private void refusedFetches() throws Exception {
        UpstreamModerationStub.image("ok.png", 200, "image/png", image("png"), null);
        UpstreamModerationStub.image("html", 200, "text/html", "<html>".getBytes(), null);
        UpstreamModerationStub.image("moved", 302, "image/png", new byte[0], "http://169.254.169.254/");
        UpstreamModerationStub.image("big.png", 200, "image/png", new byte[10 * 1024 * 1024 + 1], null);
        post(Map.of("input", List.of(imagePart(UpstreamModerationStub.url("/img/ok.png"))))).then().statusCode(200);
        assertBad(UpstreamModerationStub.url("/img/html"), "The image at 'input[1].image_url.url' could not be downloaded: its"
                + " content type is 'text/html', not image/png, image/jpeg, image/webp or image/gif.", "image_url_unavailable");
        assertBad(UpstreamModerationStub.url("/img/moved"), "The image at 'input[1].image_url.url' could not be downloaded: it"
                + " answered HTTP 302 (redirects are not followed).", "image_url_unavailable");
        assertBad(UpstreamModerationStub.url("/img/missing"), "The image at 'input[1].image_url.url' could not be downloaded: it"
                + " answered HTTP 404.", "image_url_unavailable");
        assertBad(UpstreamModerationStub.url("/img/big.png"), "The image at 'input[1].image_url.url' is larger than 10 MB, the"
                + " most this server accepts.", "image_too_large");
        assertBad(UpstreamModerationStub.url("/img/slow"), "The image at 'input[1].image_url.url' could not be downloaded: it"
                + " did not answer within 3 s.", "image_url_unavailable");
        // a server that sends its image byte by byte keeps the connection from idling; at the deadline the fetch
        // closes it, so the server's next write fails long before its 30 s of sending would end (the wait is only
        // a bound for a broken fetch)
        UpstreamModerationStub.TRICKLE = new java.util.concurrent.CompletableFuture<>();
        assertBad(UpstreamModerationStub.trickleUrl(), "The image at 'input[1].image_url.url' could not be downloaded:"
                + " it did not answer within 3 s.", "image_url_unavailable");
        assertEquals("closed by the client after fewer than 100 of 300 bytes",
                UpstreamModerationStub.TRICKLE.get(20, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void textModelsRefuseImages() throws Exception {
        Response r = post(Map.of("model", "text-moderation-latest",
                "input", List.of(Map.of("type", "text", "text", "x"), imagePart(dataUrl("image/png", image("png"))))));
        assertEquals(400, r.statusCode());
        assertEquals(invalidRequest("The model 'text-moderation-latest' classifies text only; send images to an"
                + " omni-moderation model.", "input[1].image_url.url", "invalid_input_type"), r.as(Map.class));
    }

    @Test
    void theUpstreamEngineForwardsUnderTheUpstreamNameWithOurKey() throws Exception {
        Map<String, Object> body = post(Map.of("model", "upstream-omni", "input", List.of("fine", "VIOLENT text")))
                .then().statusCode(200).extract().as(Map.class);
        assertEquals(Map.of("model", "omni-moderation-latest", "input", List.of("fine", "VIOLENT text")),
                new ObjectMapper().readValue(UpstreamModerationStub.UPSTREAM.requests.get(0), Map.class));
        assertEquals("Bearer " + UpstreamModerationStub.API_KEY, UpstreamModerationStub.UPSTREAM.authorizations.get(0));
        assertEquals("upstream-omni", body.get("model"));
        assertTrue(body.get("id").toString().startsWith("modr-") && !body.get("id").equals("modr-upstream"));
        List<?> results = (List<?>) body.get("results");
        assertEquals(2, results.size());
        Map<?, ?> violent = (Map<?, ?>) results.get(1);
        assertEquals(true, violent.get("flagged"));
        assertEquals(0.93, ((Map<?, ?>) violent.get("category_scores")).get("violence"));
        assertEquals(true, ((Map<?, ?>) violent.get("categories")).get("violence"));
        // categories the upstream left out are present, not evaluated
        assertEquals(null, ((Map<?, ?>) violent.get("categories")).get("hate"));
        assertEquals(0.0, ((Map<?, ?>) violent.get("category_scores")).get("hate"));
        assertEquals(List.of(), ((Map<?, ?>) violent.get("category_applied_input_types")).get("hate"));
        assertEquals(13, ((Map<?, ?>) violent.get("categories")).size());
    }

    @Test
    void imagesTravelUpstreamAsDataUrlsOfTheCheckedBytes() throws Exception {
        byte[] png = image("png");
        UpstreamModerationStub.image("up.png", 200, "image/png", png, null);
        Map<String, Object> body = post(Map.of("model", "upstream-omni", "input", List.of(
                Map.of("type", "text", "text", "look"), imagePart(UpstreamModerationStub.url("/img/up.png")))))
                .then().statusCode(200).extract().as(Map.class);
        assertEquals(Map.of("model", "omni-moderation-latest", "input", List.of(Map.of("type", "text", "text", "look"),
                imagePart(dataUrl("image/png", png)))), new ObjectMapper().readValue(UpstreamModerationStub.UPSTREAM.requests.get(0), Map.class));
        Map<?, ?> result = (Map<?, ?>) ((List<?>) body.get("results")).get(0);
        assertEquals(List.of("text", "image"), ((Map<?, ?>) result.get("category_applied_input_types")).get("violence"));
    }

    @Test
    void upstreamFailuresAreRetriedThenA503AndItsBadRequestIsOurs() {
        UpstreamModerationStub.UPSTREAM.failuresToServe.set(2);
        post(Map.of("model", "upstream-text", "input", "fine")).then().statusCode(200);
        assertEquals(3, UpstreamModerationStub.UPSTREAM.requests.size());

        Response rejected = post(Map.of("model", "upstream-omni", "input", "REJECT me"));
        assertEquals(400, rejected.statusCode());
        assertEquals(invalidRequest("Upstream says the input is malformed.", "input", "invalid_input"), rejected.as(Map.class));

        UpstreamModerationStub.UPSTREAM.down.set(true);
        Response down = post(Map.of("model", "upstream-omni", "input", "fine"));
        assertEquals(503, down.statusCode());
        assertEquals(error("The moderation engine for 'upstream-omni' is temporarily unavailable. Please retry your"
                + " request shortly.", "server_error", null, null), down.as(Map.class));
    }
}
