package dev.meridian.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpExchange;

import dev.meridian.testsupport.HttpStub;
import dev.meridian.testsupport.UpstreamRecorder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An upstream AI provider cannot run here, so this local server speaks its HTTP API (the Images
 * endpoints) for the openai-compatible engine's tests: it answers with solid-colour PNGs of the
 * requested size and n, records what it was sent, refuses prompts containing REFUSE like a content
 * policy would, and can fail on demand.
 */
public class UpstreamStub implements QuarkusTestResourceLifecycleManager {

    static final String API_KEY = "sk-upstream-test";
    static final UpstreamRecorder UPSTREAM = new UpstreamRecorder();
    static final int COLOUR = 0xff3366cc;

    private HttpStub server;

    @Override
    public Map<String, String> start() {
        server = new HttpStub("/v1/images/", this::handle);
        return Map.of("meridian.images.upstream.base-url", server.url() + "/v1", "meridian.images.upstream.api-key", API_KEY);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
        UPSTREAM.record(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Content-Type")
                + "\n" + body, exchange.getRequestHeaders().getFirst("Authorization"));
        if (UPSTREAM.failing()) {
            HttpStub.respond(exchange, 500, HttpStub.error("upstream broke", "server_error", null, null));
            return;
        }
        if (body.contains("REFUSE")) {
            HttpStub.respond(exchange, 400, HttpStub.error("Your request was rejected by the upstream safety system.",
                    "invalid_request_error", "prompt", "content_policy_violation"));
            return;
        }
        int n = Integer.parseInt(field(body, "n", "1"));
        String[] size = field(body, "size", "1024x1024").split("x");
        BufferedImage image = new BufferedImage(Integer.parseInt(size[0]), Integer.parseInt(size[1]), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, COLOUR);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        String b64 = Base64.getEncoder().encodeToString(png.toByteArray());
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < n; i++) {
            data.append(i == 0 ? "" : ",").append("{\"b64_json\":\"").append(b64).append("\",\"revised_prompt\":\"upstream revised\"}");
        }
        // created as a float, as some servers write it: upstream answers are read tolerantly (StrictWireJson.tolerant)
        HttpStub.respond(exchange, 200, "{\"created\":1.7E9,\"data\":[" + data + "]}");
    }

    /** A field from a JSON or multipart body, good enough for the shapes the engine sends. */
    private static String field(String body, String name, String fallback) {
        Matcher json = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([0-9a-zA-Z_x]+)").matcher(body);
        if (json.find()) {
            return json.group(1);
        }
        Matcher part = Pattern.compile("name=\"" + name + "\"\\r?\\n(?:[^\\r\\n]+\\r?\\n)*\\r?\\n([^\\r\\n]+)").matcher(body);
        return part.find() ? part.group(1) : fallback;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
