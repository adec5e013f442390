package dev.meridian.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An upstream AI provider cannot run here, so this local server speaks its HTTP API (the Images
 * endpoints) for the openai-compatible engine's tests: it answers with solid-colour PNGs of the
 * requested size and n, records what it was sent, refuses prompts containing REFUSE like a content
 * policy would, and can fail on demand.
 */
public class UpstreamStub implements QuarkusTestResourceLifecycleManager {

    static final String API_KEY = "sk-upstream-test";
    static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
    static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    static final AtomicInteger FAILURES_TO_SERVE = new AtomicInteger();
    static final AtomicBoolean DOWN = new AtomicBoolean();
    static final int COLOUR = 0xff3366cc;

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/images/", this::handle);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("meridian.images.upstream.base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
                "meridian.images.upstream.api-key", API_KEY);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
        REQUESTS.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Content-Type")
                + "\n" + body);
        AUTHORIZATIONS.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        if (DOWN.get() || FAILURES_TO_SERVE.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            respond(exchange, 500, "{\"error\":{\"message\":\"upstream broke\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
            return;
        }
        if (body.contains("REFUSE")) {
            respond(exchange, 400, "{\"error\":{\"message\":\"Your request was rejected by the upstream safety system.\","
                    + "\"type\":\"invalid_request_error\",\"param\":\"prompt\",\"code\":\"content_policy_violation\"}}");
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
        respond(exchange, 200, "{\"created\":1700000000,\"data\":[" + data + "]}");
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

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
