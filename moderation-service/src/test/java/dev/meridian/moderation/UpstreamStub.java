package dev.meridian.moderation;

import java.io.IOException;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

import dev.meridian.testsupport.HttpStub;
import dev.meridian.testsupport.UpstreamRecorder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for an OpenAI-compatible moderation upstream (an AI provider cannot run here), speaking its HTTP API:
 * one result per string, a combined one for a multimodal array; text containing "VIOLENT" is flagged for violence.
 * Also serves images for the fetch tests under {@code /img/}; {@code /img/slow} answers too late, and
 * {@code /img/trickle} sends a PNG's headers, then one byte every 100 ms for 30 s, and reports in {@link #TRICKLE}
 * how its sending ended. And it stands in for images-service's {@code /v1/images/content/{id}}: it serves the PNGs of
 * {@link #GENERATED} to requests signed {@code sig-<id>} (403 otherwise), answers 410 for ids starting
 * {@code img_gone} and 500 for ids starting {@code img_broken}, and records each request's path and query in
 * {@link #CONTENT_REQUESTS}.
 */
public class UpstreamStub implements QuarkusTestResourceLifecycleManager {

    static final String API_KEY = "sk-moderation-upstream";
    static final UpstreamRecorder UPSTREAM = new UpstreamRecorder();
    static final Map<String, Image> IMAGES = new java.util.concurrent.ConcurrentHashMap<>();

    /** An image the stub serves: status, content type and body. */
    record Image(int status, String contentType, byte[] body, String location) {
    }

    /**
     * How the last {@code /img/trickle} ended: "closed by the client after N of 300 bytes", or "all 300 bytes sent".
     */
    static volatile java.util.concurrent.CompletableFuture<String> TRICKLE = new java.util.concurrent.CompletableFuture<>();

    static HttpStub server;

    /** Generated images by id, as the images-service stand-in serves them. */
    static final Map<String, byte[]> GENERATED = new java.util.concurrent.ConcurrentHashMap<>();
    /** Generated images' prompts by image id, served at {@code …/prompt} to the signature {@code prompt-sig-<id>}. */
    static final Map<String, String> PROMPTS = new java.util.concurrent.ConcurrentHashMap<>();
    static final java.util.List<String> CONTENT_REQUESTS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> start() {
        server = new HttpStub("/", this::handle);
        return Map.of("meridian.moderation.upstream.base-url", server.url() + "/v1",
                "meridian.moderation.upstream.api-key", API_KEY,
                "quarkus.rest-client.images.url", server.url(),
                "meridian.moderation.images.allowed-hosts", "127.0.0.1",
                "meridian.moderation.images.fetch-timeout", "1S");
    }

    static String url(String path) {
        return server.url() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.startsWith("/v1/images/content/")) {
            generated(exchange, path.substring("/v1/images/content/".length()));
            return;
        }
        if (path.startsWith("/img/")) {
            if (path.equals("/img/slow")) {
                // answers after the fetch deadline (1 s in these tests), by which time the client has hung up
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            if (path.equals("/img/trickle")) {
                trickle(exchange);
                return;
            }
            Image image = IMAGES.get(path.substring("/img/".length()));
            if (image == null) {
                HttpStub.respond(exchange, 404, "{}");
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", image.contentType());
            if (image.location() != null) {
                exchange.getResponseHeaders().add("Location", image.location());
            }
            exchange.sendResponseHeaders(image.status(), image.body().length == 0 ? -1 : image.body().length);
            if (image.body().length > 0) {
                exchange.getResponseBody().write(image.body());
            }
            exchange.close();
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        UPSTREAM.record(body, exchange.getRequestHeaders().getFirst("Authorization"));
        if (UPSTREAM.failing()) {
            HttpStub.respond(exchange, 500, HttpStub.error("upstream broke", "server_error", null, null));
            return;
        }
        if (body.contains("REJECT")) {
            HttpStub.respond(exchange, 400, HttpStub.error("Upstream says the input is malformed.",
                    "invalid_request_error", "input", "invalid_input"));
            return;
        }
        com.fasterxml.jackson.databind.JsonNode input = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("input");
        int results = input.isArray() && input.size() > 0 && input.get(0).isTextual() ? input.size() : 1;
        StringBuilder out = new StringBuilder("{\"id\":\"modr-upstream\",\"model\":\"upstream-snapshot\",\"results\":[");
        for (int i = 0; i < results; i++) {
            String text = input.isArray() ? input.get(i).toString() : input.asText();
            if (!input.isArray() || !input.get(0).isTextual()) {
                text = input.toString();
            }
            boolean violent = text.contains("VIOLENT");
            boolean image = text.contains("image_url");
            out.append(i == 0 ? "" : ",").append("{\"flagged\":").append(violent)
                    .append(",\"categories\":{\"violence\":").append(violent).append(",\"sexual\":false}")
                    // a score as a string, as some proxies write it: upstream answers are read tolerantly
                    .append(",\"category_scores\":{\"violence\":").append(violent ? 0.93 : 0.01).append(",\"sexual\":\"0.02\"}")
                    .append(",\"category_applied_input_types\":{\"violence\":").append(image ? "[\"text\",\"image\"]" : "[\"text\"]")
                    .append(",\"sexual\":").append(image ? "[\"text\",\"image\"]" : "[\"text\"]").append("}}");
        }
        HttpStub.respond(exchange, 200, out.append("]}").toString());
    }

    private static void generated(HttpExchange exchange, String id) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        CONTENT_REQUESTS.add(exchange.getRequestURI().getRawPath() + "?" + query);
        if (id.startsWith("img_gone")) {
            HttpStub.respond(exchange, 410, HttpStub.error("This image is no longer available.",
                    "invalid_request_error", null, "image_unavailable"));
            return;
        }
        if (id.startsWith("img_broken")) {
            HttpStub.respond(exchange, 500, HttpStub.error("broken", "server_error", null, null));
            return;
        }
        if (id.endsWith("/prompt")) {
            String image = id.substring(0, id.length() - "/prompt".length());
            String prompt = PROMPTS.get(image);
            if (prompt == null || query == null
                    || !query.matches("expires=\\d+&signature=prompt-sig-" + java.util.regex.Pattern.quote(image))) {
                HttpStub.respond(exchange, 403, HttpStub.error("This image URL is not valid: its signature does not"
                        + " match.", "invalid_request_error", null, "invalid_signature"));
                return;
            }
            HttpStub.respond(exchange, 200, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                    Map.of("image_id", image, "prompt", prompt)));
            return;
        }
        byte[] png = GENERATED.get(id);
        if (png == null || query == null || !query.matches("expires=\\d+&signature=sig-" + java.util.regex.Pattern.quote(id))) {
            HttpStub.respond(exchange, 403, HttpStub.error("This image URL is not valid: its signature does not match.",
                    "invalid_request_error", null, "invalid_signature"));
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "image/png");
        exchange.sendResponseHeaders(200, png.length);
        exchange.getResponseBody().write(png);
        exchange.close();
    }

    private static void trickle(HttpExchange exchange) {
        java.util.concurrent.CompletableFuture<String> outcome = TRICKLE;
        int total = 300;
        int sent = 0;
        try (exchange) {
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, total);
            java.io.OutputStream body = exchange.getResponseBody();
            for (; sent < total; sent++) {
                body.write(0);
                body.flush();
                Thread.sleep(100);
            }
            outcome.complete("all " + total + " bytes sent");
        } catch (IOException e) {
            outcome.complete("closed by the client after " + (sent < 100 ? "fewer than 100" : "100 or more") + " of "
                    + total + " bytes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome.completeExceptionally(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
