package dev.meridian.images;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.meridian.testsupport.Stubs;
import dev.meridian.testsupport.UpstreamRecorder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An upstream AI provider cannot run here, so this WireMock server speaks its HTTP API (the Images
 * endpoints) for the openai-compatible engine's tests: it answers with solid-colour PNGs of the
 * requested size and n, records what it was sent, refuses prompts containing REFUSE like a content
 * policy would, and can fail on demand.
 */
public class UpstreamImagesStub implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "sk-upstream-test";
    public static final UpstreamRecorder UPSTREAM = new UpstreamRecorder();
    public static final int COLOUR = 0xff3366cc;
    /** The engine's read timeout in these tests (120 s in production). */
    public static final int READ_TIMEOUT_MILLIS = 1500;
    /** How long the engine's circuit breaker stays open in these tests (10 s in production); it opens on 6 attempts. */
    public static final int BREAKER_DELAY_MILLIS = 1000;

    /** The response transformer that computes this stand-in's answer from the request. */
    private static final String IMAGES = "upstream-images";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = Stubs.start(Stubs.answering(IMAGES, UpstreamImagesStub::images));
        server.stubFor(post(urlPathMatching("/v1/images/.*")).willReturn(aResponse().withTransformers(IMAGES)));
        return Map.of("meridian.images.upstream.base-url", Stubs.url(server) + "/v1", "meridian.images.upstream.api-key",
                API_KEY, "meridian.images.upstream.read-timeout", READ_TIMEOUT_MILLIS + "MS",
                "meridian.images.upstream.max-retries", "1", "meridian.images.upstream.retry-delay", "50MS",
                "meridian.images.upstream.breaker.request-volume", "6",
                "meridian.images.upstream.breaker.delay", BREAKER_DELAY_MILLIS + "MS");
    }

    @Override
    public void stop() {
        Stubs.stop(server);
    }

    /** The provider's answer to a generation, edit or variation (JSON or multipart form). */
    private static ResponseDefinition images(ServeEvent event) {
        Request request = event.getRequest();
        String body = new String(request.getBody(), StandardCharsets.ISO_8859_1);
        String path = request.getUrl().replaceFirst("\\?.*", "");
        UPSTREAM.record(path + " " + request.getHeader("Content-Type") + "\n" + body, request.getHeader("Authorization"));
        if (UPSTREAM.failing()) {
            return Stubs.error(500, "upstream broke", "server_error", null, null).build();
        }
        if (body.contains("REFUSE")) {
            return Stubs.error(400, "Your request was rejected by the upstream safety system.", "invalid_request_error",
                    "prompt", "content_policy_violation").build();
        }
        int n = Integer.parseInt(field(request, "n", "1"));
        String[] size = field(request, "size", "1024x1024").split("x");
        String b64 = Base64.getEncoder().encodeToString(png(Integer.parseInt(size[0]), Integer.parseInt(size[1])));
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            data.add(Map.of("b64_json", b64, "revised_prompt", "upstream revised"));
        }
        // created as a float, as some servers write it: upstream answers are read tolerantly (StrictWireJson.tolerant)
        return Stubs.json(200, Map.of("created", 1.7E9, "data", data)).withFixedDelay(UPSTREAM.silenceMillis.get()).build();
    }

    /** A field of the JSON body or of the multipart form. */
    private static String field(Request request, String name, String fallback) {
        if (request.isMultipart()) {
            Request.Part part = request.getPart(name);
            return part == null ? fallback : part.getBody().asString();
        }
        try {
            return Stubs.JSON.readTree(request.getBodyAsString()).path(name).asText(fallback);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] png(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, COLOUR);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}
