package dev.meridian.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.openai.models.images.ImageGenerateParams;
import com.openai.models.moderations.Moderation;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.moderations.ModerationCreateResponse;
import com.openai.models.moderations.Moderation;
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
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + 30_000_000_000L;
        int status;
        do {
            status = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status != 410) {
                Thread.sleep(250);
            }
        } while (status != 410 && System.nanoTime() < deadline);
        assertEquals(410, status, "the image must be revoked by the review");
    }
}
