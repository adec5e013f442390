package dev.meridian.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.openai.errors.BadRequestException;
import com.openai.models.images.Image;
import com.openai.models.images.ImageCreateVariationParams;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;

/** The Images API through the edge with the official SDK: JSON generations and multipart edits and variations. */
class ImagesSdkIT {

    @Test
    void generatesExactlyNImagesOfTheRequestedSize() throws Exception {
        ImagesResponse response = Stack.client("member").images().generate(ImageGenerateParams.builder()
                .prompt("a lighthouse at dusk").model("dall-e-2").n(2)
                .size(ImageGenerateParams.Size.of("256x256"))
                .responseFormat(ImageGenerateParams.ResponseFormat.of("b64_json")).build());
        response.validate();
        List<Image> data = response.data().orElseThrow();
        assertEquals(2, data.size());
        for (Image image : data) {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(image.b64Json().orElseThrow())));
            assertEquals(256, decoded.getWidth());
            assertEquals(256, decoded.getHeight());
        }
    }

    @Test
    void urlsPointAtTheEdgeAndServeThePng() throws Exception {
        ImagesResponse response = Stack.client("member").images().generate(ImageGenerateParams.builder()
                .prompt("a fox").model("dall-e-3").size(ImageGenerateParams.Size.of("1024x1792")).build());
        Image image = response.data().orElseThrow().get(0);
        assertTrue(image.revisedPrompt().orElseThrow().startsWith("a fox"));
        String url = image.url().orElseThrow();
        assertTrue(url.startsWith(Stack.baseUrl() + "/images/content/img_"), url);
        HttpResponse<byte[]> png = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals(Optional.of("image/png"), png.headers().firstValue("content-type"));
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertEquals(1024, decoded.getWidth());
        assertEquals(1792, decoded.getHeight());
    }

    @Test
    void editsAndVariationsAcceptTheSdksMultipart() throws Exception {
        Path source = Stack.editablePng(128, 64);
        try {

            ImagesResponse edited = Stack.client("member").images().edit(ImageEditParams.builder()
                    .image(source).prompt("a sky").size("256x256")
                    .responseFormat(ImageEditParams.ResponseFormat.of("b64_json")).build());
            BufferedImage edit = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder()
                    .decode(edited.data().orElseThrow().get(0).b64Json().orElseThrow())));
            assertEquals(256, edit.getWidth());
            assertEquals(0xff2266aa, edit.getRGB(10, 250), "the opaque half is kept");

            ImagesResponse varied = Stack.client("member").images().createVariation(ImageCreateVariationParams.builder()
                    .image(source).n(2).size(ImageCreateVariationParams.Size.of("256x256")).build());
            assertEquals(2, varied.data().orElseThrow().size());
        } finally {
            Files.deleteIfExists(source);
        }
    }

    @Test
    void aSizeTheModelDoesNotSupportIsABadRequestNamingSize() {
        BadRequestException e = assertThrows(BadRequestException.class, () -> Stack.client("member").images()
                .generate(ImageGenerateParams.builder().prompt("x").model("dall-e-3")
                        .size(ImageGenerateParams.Size.of("256x256")).build()));
        assertEquals(Optional.of("size"), e.param());
    }
}
