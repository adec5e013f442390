package dev.meridian.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.openai.errors.BadRequestException;
import com.openai.models.images.ImageCreateVariationParams;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.moderations.Moderation;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.moderations.ModerationCreateResponse;
import com.openai.models.moderations.ModerationImageUrlInput;
import com.openai.models.moderations.ModerationMultiModalInput;
import com.openai.models.moderations.ModerationTextInput;

/** The Moderations API through the edge with the official SDK, and the generated → flagged → revoked loop. */
class ModerationsSdkIT {

    static final String THREAT = "i will kill you and burn your house, you worthless idiot";

    @Test
    void aStringAndAnArrayOfStrings() {
        ModerationCreateResponse one = Stack.client("member").moderations().create(ModerationCreateParams.builder()
                .input(THREAT).build());
        one.validate();
        assertTrue(one.id().startsWith("modr-"));
        assertEquals("omni-moderation-latest", one.model());
        assertEquals(1, one.results().size());
        Moderation result = one.results().get(0);
        assertTrue(result.flagged());
        assertTrue(result.categories().violence());
        assertTrue(result.categoryScores().violence() > 0.3);

        ModerationCreateResponse two = Stack.client("member").moderations().create(ModerationCreateParams.builder()
                .inputOfStrings(List.of("a lighthouse at dusk", THREAT)).model("text-moderation-latest").build());
        two.validate();
        assertEquals("text-moderation-latest", two.model());
        assertEquals(2, two.results().size());
        assertFalse(two.results().get(0).flagged());
        assertTrue(two.results().get(1).flagged());
        assertTrue(two.results().get(1).categories().illicit().isEmpty(), "text models have no illicit category");
    }

    @Test
    void aMultimodalArrayGetsOneResult() throws Exception {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
        ModerationCreateResponse response = Stack.client("member").moderations().create(ModerationCreateParams.builder()
                .inputOfModerationMultiModalArray(List.of(
                        ModerationMultiModalInput.ofText(ModerationTextInput.builder().text("a calm lake").build()),
                        ModerationMultiModalInput.ofImageUrl(ModerationImageUrlInput.builder()
                                .imageUrl(ModerationImageUrlInput.ImageUrl.builder().url(dataUrl).build()).build())))
                .build());
        response.validate();
        assertEquals(1, response.results().size());
        assertFalse(response.results().get(0).flagged());
        // the built-in engine judges the image for sexual content only
        Moderation.CategoryAppliedInputTypes applied = response.results().get(0).categoryAppliedInputTypes();
        assertEquals(List.of(Moderation.CategoryAppliedInputTypes.Sexual.TEXT,
                Moderation.CategoryAppliedInputTypes.Sexual.IMAGE), applied.sexual());
        assertEquals(List.of(Moderation.CategoryAppliedInputTypes.Violence.TEXT), applied.violence());
        assertEquals(List.of(Moderation.CategoryAppliedInputTypes.SexualMinor.TEXT), applied.sexualMinors());
    }

    /** A WebP image (a 64x48 gradient, lossless) is judged too: the service reads WebP through TwelveMonkeys. */
    @Test
    void aWebpImageIsJudged() {
        String webp = "data:image/webp;base64,UklGRkAAAABXRUJQVlA4TDQAAAAvP8ALAAmAIAb8RyuI6H/qC4Ag/KcriOh/6lDTtgHTyR94/4pA0hZv"
                + "+0crJgDErRfA+v8G";
        Moderation result = Stack.client("member").moderations().create(ModerationCreateParams.builder()
                .inputOfModerationMultiModalArray(List.of(ModerationMultiModalInput.ofImageUrl(ModerationImageUrlInput
                        .builder().imageUrl(ModerationImageUrlInput.ImageUrl.builder().url(webp).build()).build())))
                .build()).results().get(0);
        assertFalse(result.flagged());
        assertEquals(List.of(Moderation.CategoryAppliedInputTypes.Sexual.IMAGE), result.categoryAppliedInputTypes().sexual());
        assertTrue(result.categoryScores().sexual() > 0 && result.categoryScores().sexual() < 0.5,
                "a gradient's score: " + result.categoryScores().sexual());
        assertEquals(List.of(), result.categoryAppliedInputTypes().violence());
    }

    /**
     * A prompt that passes the gate before generation (flagged by nothing) but reaches the stricter review after it:
     * images-service generates, moderation-service reviews meridian.image.generated and publishes
     * meridian.content.flagged, images-service revokes, and the URL stops working.
     */
    @Test
    void aGeneratedImageFlaggedByTheReviewIsRevoked() throws Exception {
        String prompt = "a street fight";
        ModerationCreateResponse gate = Stack.client("member").moderations().create(ModerationCreateParams.builder()
                .input(prompt).build());
        assertFalse(gate.results().get(0).flagged(), "the gate must let this prompt through");

        String url = Stack.client("member").images().generate(ImageGenerateParams.builder().prompt(prompt)
                .model("dall-e-2").size(ImageGenerateParams.Size.of("256x256")).build())
                .data().orElseThrow().get(0).url().orElseThrow();
        assertEquals(410, awaitStatus(url, 410), "the image must be revoked by the review");
    }

    /**
     * images-service moderates the image an edit or a variation starts from, before generating anything, with
     * moderation-service's image model: an abstract drawing that model scores about 0.98 for sexual
     * (moderation-service's TestImages.STRONG, its top-left pixel made transparent so an edit is allowed) is refused
     * with the safety system's 400 naming 'image', for an edit with a benign prompt and for a variation, while the
     * same edit of a plain image is served.
     */
    @Test
    void anEditOrVariationOfAnImageTheModelFlagsIsRefused() throws Exception {
        String prompt = "a sky";
        assertFalse(Stack.client("member").moderations().create(ModerationCreateParams.builder().input(prompt)
                .build()).results().get(0).flagged());
        Path plain = Stack.editablePng(64, 8);
        Path drawing = Files.createTempFile("meridian-e2e", ".png");
        try {
            try (InputStream in = ModerationsSdkIT.class.getResourceAsStream("/drawing-the-image-model-flags.png")) {
                Files.copy(in, drawing, StandardCopyOption.REPLACE_EXISTING);
            }
            String plainUrl = edit(plain, prompt);
            HttpResponse<Void> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(plainUrl))
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(200, served.statusCode());

            List<BadRequestException> refusals = List.of(
                    assertThrows(BadRequestException.class, () -> edit(drawing, prompt)),
                    assertThrows(BadRequestException.class, () -> Stack.client("member").images().createVariation(
                            ImageCreateVariationParams.builder().image(drawing)
                                    .size(ImageCreateVariationParams.Size._256X256).build())));
            for (BadRequestException refusal : refusals) {
                assertEquals(400, refusal.statusCode());
                assertEquals(Optional.of("invalid_request_error"), refusal.type());
                assertEquals(Optional.of("image"), refusal.param());
                assertEquals(Optional.of("content_policy_violation"), refusal.code());
                assertEquals("Your request was rejected as a result of our safety system. Your image may contain"
                        + " content that is not allowed by our safety system.",
                        refusal.body().convert(java.util.Map.class).get("message"), refusal.body().toString());
            }
        } finally {
            Files.deleteIfExists(plain);
            Files.deleteIfExists(drawing);
        }
    }

    private static String edit(Path source, String prompt) {
        return Stack.client("member").images().edit(ImageEditParams.builder().image(source).prompt(prompt)
                .size(ImageEditParams.Size._512X512).build()).data().orElseThrow().get(0).url().orElseThrow();
    }

    /** The URL's status once it is {@code expected}; fails when it is not within 30 s. */
    private static int awaitStatus(String url, int expected) {
        HttpClient http = HttpClient.newHttpClient();
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode(), status -> status == expected);
    }
}
