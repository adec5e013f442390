package dev.meridian.images.rest;

import static dev.meridian.testsupport.Envelopes.error;
import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.meridian.images.Pictures.mask;
import static dev.meridian.images.Pictures.pattern;
import static dev.meridian.images.Pictures.png;
import static dev.meridian.images.Pictures.region;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.meridian.testsupport.ModerationStub;
import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class ImageUploadsTest {

    static final String ORG = "org-uploads";

    @Test
    void editChangesOnlyTheMaskedPixels() throws Exception {
        BufferedImage source = pattern(256, false);
        BufferedImage mask = mask(256, 64, 64, 128, 96);
        List<BufferedImage> edits = images(as().multiPart("image", "image.png", png(source), "image/png")
                .multiPart("mask", "mask.png", png(mask), "image/png")
                .multiPart("prompt", "a red balloon").multiPart("n", "2").multiPart("size", "256x256")
                .multiPart("response_format", "b64_json").post("/v1/images/edits"));
        assertEquals(2, edits.size());
        int changed = 0;
        for (BufferedImage edit : edits) {
            assertEquals(256, edit.getWidth());
            assertEquals(256, edit.getHeight());
            for (int y = 0; y < 256; y++) {
                for (int x = 0; x < 256; x++) {
                    boolean masked = (mask.getRGB(x, y) >>> 24) == 0;
                    if (!masked) {
                        assertEquals(source.getRGB(x, y), edit.getRGB(x, y), "pixel outside the mask changed at " + x + "," + y);
                    } else if (source.getRGB(x, y) != edit.getRGB(x, y)) {
                        changed++;
                    }
                }
            }
        }
        assertTrue(changed > 2 * 128 * 96 * 9 / 10, "the masked area was not repainted: " + changed);
        assertNotEquals(region(edits.get(0), 64, 64, 128, 96), region(edits.get(1), 64, 64, 128, 96),
                "two edits of one request must differ");
    }

    @Test
    void withoutAMaskTheImagesOwnTransparencyIsTheMaskAndImageArrayIsAccepted() throws Exception {
        BufferedImage source = pattern(256, true);
        List<BufferedImage> edits = images(as().multiPart("image[]", "image.png", png(source), "image/png")
                .multiPart("prompt", "fill the hole").multiPart("size", "256x256").multiPart("response_format", "b64_json")
                .post("/v1/images/edits"));
        BufferedImage edit = edits.get(0);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                int before = source.getRGB(x, y);
                if ((before >>> 24) != 0) {
                    assertEquals(before, edit.getRGB(x, y));
                } else {
                    assertEquals(0xff, edit.getRGB(x, y) >>> 24, "repainted pixels are opaque");
                }
            }
        }
    }

    @Test
    void variationsKeepTheCompositionAndDifferFromEachOther() throws Exception {
        BufferedImage source = pattern(256, false);
        List<BufferedImage> variations = images(as().multiPart("image", "image.png", png(source), "image/png")
                .multiPart("n", "3").multiPart("size", "256x256").multiPart("response_format", "b64_json")
                .post("/v1/images/variations"));
        assertEquals(3, variations.size());
        for (BufferedImage variation : variations) {
            assertEquals(256, variation.getWidth());
            // composition kept: pixels that were alike in the source are alike in the variation
            Map<Integer, Integer> mapping = new HashMap<>();
            for (int y = 0; y < 256; y++) {
                for (int x = 0; x < 256; x++) {
                    Integer previous = mapping.putIfAbsent(source.getRGB(x, y), variation.getRGB(x, y));
                    assertTrue(previous == null || previous == variation.getRGB(x, y), "composition broken at " + x + "," + y);
                }
            }
        }
        assertNotEquals(region(variations.get(0), 0, 0, 256, 256), region(variations.get(1), 0, 0, 256, 256));
        assertNotEquals(region(variations.get(1), 0, 0, 256, 256), region(variations.get(2), 0, 0, 256, 256));
        assertNotEquals(region(source, 0, 0, 256, 256), region(variations.get(0), 0, 0, 256, 256));
    }

    @Test
    void variationsScaleToTheRequestedSize() throws Exception {
        List<BufferedImage> out = images(as().multiPart("image", "image.png", png(pattern(256, false)), "image/png")
                .multiPart("size", "512x512").multiPart("response_format", "b64_json").post("/v1/images/variations"));
        assertEquals(512, out.get(0).getWidth());
        assertEquals(512, out.get(0).getHeight());
    }

    @Test
    void everyUploadRuleIsA400NamingTheParam() throws Exception {
        byte[] square = png(pattern(64, true));
        byte[] opaque = png(pattern(64, false));
        byte[] wide = png(new BufferedImage(64, 32, BufferedImage.TYPE_INT_ARGB));
        check(as().multiPart("prompt", "x").post("/v1/images/edits"), "image", "Missing required parameter: 'image'.");
        check(as().multiPart("image", "a.png", square, "image/png").post("/v1/images/edits"), "prompt",
                "Missing required parameter: 'prompt'.");
        check(as().multiPart("image", "a.png", "not a png".getBytes(), "image/png").multiPart("prompt", "x")
                .post("/v1/images/edits"), "image", "Invalid 'image': uploaded images must be PNG files.");
        check(as().multiPart("image", "a.png", wide, "image/png").multiPart("prompt", "x").post("/v1/images/edits"),
                "image", "Invalid 'image': images must be square, but this one is 64x32.");
        // a 4097x4097 PNG of one colour is a few kilobytes: the side is refused before any pixel is decoded
        byte[] huge = png(new BufferedImage(4097, 4097, BufferedImage.TYPE_BYTE_BINARY));
        assertTrue(huge.length < 10_000, "test image too large: " + huge.length);
        check(as().multiPart("image", "a.png", huge, "image/png").post("/v1/images/variations"), "image",
                "Invalid 'image': images must be at most 4096x4096 pixels, but this one is 4097x4097.");
        check(as().multiPart("image", "a.png", square, "image/png").multiPart("mask", "m.png", huge, "image/png")
                .multiPart("prompt", "x").post("/v1/images/edits"), "mask",
                "Invalid 'mask': images must be at most 4096x4096 pixels, but this one is 4097x4097.");
        check(as().multiPart("image", "a.png", opaque, "image/png").multiPart("prompt", "x").post("/v1/images/edits"),
                "image", "Invalid 'image': without a mask the image must have fully transparent pixels marking where to"
                        + " edit, and this one has none.");
        check(as().multiPart("image", "a.png", opaque, "image/png").multiPart("mask", "m.png", png(mask(32, 0, 0, 8, 8)),
                "image/png").multiPart("prompt", "x").post("/v1/images/edits"), "mask",
                "Invalid 'mask': the mask must have the same dimensions as the image (64x64), but it is 32x32.");
        check(as().multiPart("image", "a.png", opaque, "image/png").multiPart("mask", "m.png", opaque, "image/png")
                .multiPart("prompt", "x").post("/v1/images/edits"), "mask",
                "Invalid 'mask': it has no fully transparent pixels, so there is nothing to edit.");
        check(as().multiPart("image", "a.png", square, "image/png").multiPart("image", "b.png", square, "image/png")
                .multiPart("prompt", "x").post("/v1/images/edits"), "image",
                "Invalid 'image': dall-e-2 takes exactly one image, but got 2.");
        check(as().multiPart("image", "a.png", square, "image/png").multiPart("prompt", "p".repeat(1001))
                .post("/v1/images/edits"), "prompt", "Invalid 'prompt': string too long. Expected a string with maximum"
                        + " length 1000 for dall-e-2, but got a string with length 1001 instead.");
        check(as().multiPart("image", "a.png", square, "image/png").multiPart("prompt", "x").multiPart("model", "dall-e-3")
                .post("/v1/images/edits"), "model", "Invalid 'model': image edits are only supported for dall-e-2.");
        check(as().multiPart("image", "a.png", square, "image/png").multiPart("model", "dall-e-3")
                .post("/v1/images/variations"), "model", "Invalid 'model': image variations are only supported for dall-e-2.");
        check(as().multiPart("image", "a.png", square, "image/png").multiPart("n", "11").post("/v1/images/variations"),
                "n", "Invalid 'n': expected a value between 1 and 10, but got 11 instead.");
        check(as().multiPart("image", "a.png", square, "image/png").multiPart("n", "two").post("/v1/images/variations"),
                "n", "Invalid type for 'n': expected an integer.");
        check(as().multiPart("image", "a.png", square, "image/png").multiPart("size", "1792x1024")
                .post("/v1/images/variations"), "size", "Invalid value for 'size': '1792x1024' is not supported for"
                        + " dall-e-2. Supported values are: 256x256, 512x512, 1024x1024.");
        check(as().multiPart("image", "a.png", square, "image/png").multiPart("response_format", "gif")
                .post("/v1/images/variations"), "response_format",
                "Invalid value for 'response_format': 'gif' is not one of 'url', 'b64_json'.");
    }

    @Test
    void imagesOf4MegabytesOrMoreAreRefused() throws Exception {
        BufferedImage noise = new BufferedImage(1100, 1100, BufferedImage.TYPE_INT_ARGB);
        Random random = new Random(7);
        for (int y = 0; y < 1100; y++) {
            for (int x = 0; x < 1100; x++) {
                noise.setRGB(x, y, random.nextInt());
            }
        }
        byte[] big = png(noise);
        assertTrue(big.length >= 4 * 1024 * 1024, "test image too small: " + big.length);
        check(as().multiPart("image", "big.png", big, "image/png").post("/v1/images/variations"), "image",
                "Invalid 'image': uploaded images must be PNG files smaller than 4 MB, but this one has " + big.length
                        + " bytes.");
    }

    /** As the SDKs send multipart bodies: with their length declared, so they are refused before reading. */
    @Test
    void bodiesOver9MegabytesAre413() {
        byte[] body = new byte[10 * 1024 * 1024];
        Response response = as().contentType("multipart/form-data; boundary=meridian").body(body)
                .post("/v1/images/variations");
        response.then().statusCode(413);
        assertEquals(invalidRequest("Request too large: the body exceeds the size this endpoint accepts.", null, null),
                response.as(Map.class));
    }

    @Test
    void editPromptsAreModerated() throws Exception {
        ModerationStub.clearRequests();
        Response response = as().multiPart("image", "a.png", png(pattern(64, true)), "image/png")
                .multiPart("prompt", "draw " + ModerationStub.FLAGGED_MARKER).post("/v1/images/edits");
        response.then().statusCode(400);
        assertEquals(invalidRequest("Your request was rejected as a result of our safety system. Your prompt may contain"
                + " text that is not allowed by our safety system.", null, "content_policy_violation"), response.as(Map.class));
        // a refused prompt ends the request: the image is not sent for moderation
        assertEquals(1, ModerationStub.requests().size(), () -> ModerationStub.requests().toString());
    }

    @Test
    void theUploadedImageIsModeratedAfterThePromptAsAnImageInput() throws Exception {
        byte[] plain = png(pattern(64, true));
        ModerationStub.clearRequests();
        as().multiPart("image", "a.png", plain, "image/png").multiPart("prompt", "a kite").multiPart("size", "256x256")
                .post("/v1/images/edits").then().statusCode(200);
        as().multiPart("image", "a.png", plain, "image/png").multiPart("size", "256x256").post("/v1/images/variations")
                .then().statusCode(200);
        String image = "{\"input\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(plain) + "\"}}],\"model\":\"omni-moderation-latest\"}";
        assertEquals(List.of("{\"input\":\"a kite\",\"model\":\"omni-moderation-latest\"}", image, image),
                ModerationStub.requests());
    }

    /** The stand-in flags an image whose bytes hold its marker: here after the PNG's end, where decoders stop. */
    @Test
    void aFlaggedImageIsRefusedBeforeAnythingIsGenerated() throws Exception {
        byte[] plain = png(pattern(64, true));
        byte[] flagged = java.util.Arrays.copyOf(plain, plain.length + ModerationStub.FLAGGED_MARKER.length());
        System.arraycopy(ModerationStub.FLAGGED_MARKER.getBytes(StandardCharsets.US_ASCII), 0, flagged, plain.length,
                ModerationStub.FLAGGED_MARKER.length());
        long before = ImageGenerationsTest.count();
        ModerationStub.clearRequests();
        Map<String, Object> refusal = invalidRequest("Your request was rejected as a result of our safety system. Your"
                + " image may contain content that is not allowed by our safety system.", "image", "content_policy_violation");
        Response edit = as().multiPart("image", "a.png", flagged, "image/png").multiPart("prompt", "a kite")
                .post("/v1/images/edits");
        assertEquals(400, edit.statusCode(), edit.asString());
        assertEquals(refusal, edit.as(Map.class));
        Response variation = as().multiPart("image", "a.png", flagged, "image/png").post("/v1/images/variations");
        assertEquals(400, variation.statusCode(), variation.asString());
        assertEquals(refusal, variation.as(Map.class));
        assertEquals(before, ImageGenerationsTest.count());
        // the edit's prompt, the edit's image, the variation's image
        assertEquals(3, ModerationStub.requests().size(), () -> ModerationStub.requests().toString());
    }

    @Test
    void aVariationIsRefusedWhenItsImageCannotBeModerated() throws Exception {
        long before = ImageGenerationsTest.count();
        ModerationStub.down(true);
        try {
            Response response = as().multiPart("image", "a.png", png(pattern(64, true)), "image/png")
                    .post("/v1/images/variations");
            response.then().statusCode(503);
            assertEquals(error("The moderation service is temporarily unavailable, so the image could not be checked and"
                    + " no image was generated. Please retry your request shortly.", "server_error", null, null),
                    response.as(Map.class));
        } finally {
            ModerationStub.down(false);
        }
        assertEquals(before, ImageGenerationsTest.count());
    }

    @Test
    void anImageTheModerationModelRefusesIsAConfigurationErrorThatLeavesPromptsServed() throws Exception {
        long before = ImageGenerationsTest.count();
        ModerationStub.textOnly(true);
        try {
            Map<?, ?> refused = error("The moderation service refused to check the image (400: "
                    + ModerationStub.TEXT_ONLY_MESSAGE + "); the platform operators have to fix its configuration. No"
                    + " image was generated.", "server_error", null, null);
            // more refusals in a row than the moderation client's circuit breaker needs to open on failures
            for (int i = 0; i < 12; i++) {
                Response variation = as().multiPart("image", "a.png", png(pattern(64, true)), "image/png")
                        .post("/v1/images/variations");
                assertEquals(502, variation.statusCode(), variation.asString());
                assertEquals(refused, variation.as(Map.class));
            }
            assertEquals(before, ImageGenerationsTest.count());
            // the refusals were not counted as an outage: a prompt is still moderated and the image generated
            ModerationStub.clearRequests();
            Response generation = ImageGenerationsTest.generate(Map.of("prompt", "a calm lake"));
            assertEquals(200, generation.statusCode(), generation.asString());
            assertEquals(List.of("{\"input\":\"a calm lake\",\"model\":\"omni-moderation-latest\"}"),
                    ModerationStub.requests());
            assertEquals(before + 1, ImageGenerationsTest.count());
        } finally {
            ModerationStub.textOnly(false);
        }
    }

    @Test
    void aPromptTheModerationServiceRefusesIsAConfigurationErrorThatLeavesTheBreakerClosed() throws Exception {
        long before = ImageGenerationsTest.count();
        ModerationStub.unknownModel(true);
        try {
            Map<?, ?> refused = error("The moderation service refused to check the prompt (404: "
                    + ModerationStub.UNKNOWN_MODEL_MESSAGE + "); the platform operators have to fix its configuration."
                    + " No image was generated.", "server_error", null, null);
            for (int i = 0; i < 12; i++) {
                ModerationStub.clearRequests();
                Response generation = ImageGenerationsTest.generate(Map.of("prompt", "a calm lake"));
                assertEquals(502, generation.statusCode(), generation.asString());
                assertEquals(refused, generation.as(Map.class));
                // one moderation request per generation, the refused one
                assertEquals(List.of("{\"input\":\"a calm lake\",\"model\":\"omni-moderation-latest\"}"),
                        ModerationStub.requests());
            }
            assertEquals(before, ImageGenerationsTest.count());
        } finally {
            ModerationStub.unknownModel(false);
        }
        // the refusals did not open the moderation client's circuit breaker
        Response generation = ImageGenerationsTest.generate(Map.of("prompt", "a calm lake"));
        assertEquals(200, generation.statusCode(), generation.asString());
        assertEquals(before + 1, ImageGenerationsTest.count());
    }

    @Test
    void jsonIsTheWrongContentTypeForUploads() {
        given().auth().oauth2(Tokens.member(ORG)).contentType("application/json").body("{}").post("/v1/images/edits")
                .then().statusCode(415);
    }

    static RequestSpecification as() {
        return given().auth().oauth2(Tokens.member(ORG));
    }

    static void check(Response response, String param, String message) {
        assertEquals(400, response.statusCode(), () -> param + ": " + response.asString());
        assertEquals(invalidRequest(message, param, response.path("error.code")), response.as(Map.class));
    }

    static List<BufferedImage> images(Response response) throws Exception {
        response.then().statusCode(200);
        List<String> encoded = response.path("data.b64_json");
        List<BufferedImage> out = new java.util.ArrayList<>();
        for (String b64 : encoded) {
            out.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64))));
        }
        return out;
    }
}
