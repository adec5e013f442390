package dev.meridian.moderation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.sun.net.httpserver.HttpExchange;

import dev.meridian.testsupport.HttpStub;
import dev.meridian.testsupport.Stubs;
import dev.meridian.testsupport.UpstreamRecorder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in, with WireMock, for an OpenAI-compatible moderation upstream (an AI provider cannot run here), speaking its
 * HTTP API: one result per string, a combined one for a multimodal array; text containing "VIOLENT" is flagged for
 * violence. Also serves images for the fetch tests under {@code /img/} ({@link #image}); {@code /img/slow} answers too
 * late. And it stands in for images-service's {@code /v1/images/content/{id}}: it serves the PNGs given to
 * {@link #generated} to requests signed {@code sig-<id>} (403 otherwise), the prompts given to {@link #prompt} to
 * {@code prompt-sig-<id>}, answers 410 for ids starting {@code img_gone} and 500 for ids starting {@code img_broken};
 * {@link #contentRequests} are the paths and queries it was asked for.
 * <p>
 * One case WireMock cannot report is kept on a plain server: {@link #trickleUrl} sends a PNG's headers, then one byte
 * every 100 ms for 30 s, and reports in {@link #TRICKLE} how its sending ended (all sent, or the client hung up).
 */
public class UpstreamModerationStub implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "sk-moderation-upstream";
    public static final UpstreamRecorder UPSTREAM = new UpstreamRecorder();
    private static final String CONTENT = "/v1/images/content/";

    /**
     * How the last {@code /img/trickle} ended: "closed by the client after N of 300 bytes", or "all 300 bytes sent".
     */
    public static volatile CompletableFuture<String> TRICKLE = new CompletableFuture<>();

    /** The response transformer that computes this stand-in's answer from the request. */
    private static final String MODERATIONS = "upstream-moderations";

    private static volatile WireMockServer server;
    private static volatile HttpStub trickle;

    /** An image the stub serves at {@code /img/<name>}: status, content type, body and, for a redirect, its location. */
    public static void image(String name, int status, String contentType, byte[] body, String location) {
        ResponseDefinitionBuilder answer = aResponse().withStatus(status).withHeader("Content-Type", contentType)
                .withBody(body);
        if (location != null) {
            answer = answer.withHeader("Location", location);
        }
        server.stubFor(get(urlPathEqualTo("/img/" + name)).atPriority(5).willReturn(answer));
    }

    /** A generated image as images-service serves it, to the signature {@code sig-<id>}. */
    public static void generated(String id, byte[] png) {
        server.stubFor(get(urlPathEqualTo(CONTENT + id)).atPriority(5).withQueryParam("expires", matching("\\d+"))
                .withQueryParam("signature", equalTo("sig-" + id))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "image/png").withBody(png)));
    }

    /** A generated image's prompt, served at {@code …/prompt} to the signature {@code prompt-sig-<id>}. */
    public static void prompt(String id, String prompt) {
        server.stubFor(get(urlPathEqualTo(CONTENT + id + "/prompt")).atPriority(5)
                .withQueryParam("expires", matching("\\d+")).withQueryParam("signature", equalTo("prompt-sig-" + id))
                .willReturn(Stubs.json(200, Map.of("image_id", id, "prompt", prompt))));
    }

    /** The path and query of each request for generated content, oldest first. */
    public static List<String> contentRequests() {
        List<String> requests = new ArrayList<>();
        for (ServeEvent event : server.getAllServeEvents()) {
            if (event.getRequest().getUrl().startsWith(CONTENT)) {
                requests.add(0, event.getRequest().getUrl());
            }
        }
        return requests;
    }

    public static String url(String path) {
        return Stubs.url(server) + path;
    }

    public static String trickleUrl() {
        return trickle.url() + "/img/trickle";
    }

    @Override
    public Map<String, String> start() {
        server = Stubs.start(Stubs.answering(MODERATIONS, UpstreamModerationStub::moderations));
        server.stubFor(post(urlPathEqualTo("/v1/moderations")).willReturn(aResponse().withTransformers(MODERATIONS)));
        server.stubFor(get(urlPathMatching("/img/.*")).atPriority(9).willReturn(Stubs.json(404, Map.of())));
        // answers after the fetch deadline (3 s in these tests: a 10 MB answer can take over 1 s to start on a busy
        // machine), by which time the client has hung up
        server.stubFor(get(urlPathEqualTo("/img/slow")).atPriority(5).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/png").withFixedDelay(6000)));
        server.stubFor(get(urlPathMatching(CONTENT + "img_gone.*")).atPriority(3).willReturn(Stubs.error(410,
                "This image is no longer available.", "invalid_request_error", null, "image_unavailable")));
        server.stubFor(get(urlPathMatching(CONTENT + "img_broken.*")).atPriority(3)
                .willReturn(Stubs.error(500, "broken", "server_error", null, null)));
        server.stubFor(get(urlPathMatching(CONTENT + ".*")).atPriority(9).willReturn(Stubs.error(403,
                "This image URL is not valid: its signature does not match.", "invalid_request_error", null,
                "invalid_signature")));
        trickle = new HttpStub("/img/trickle", UpstreamModerationStub::trickle);
        return Map.of("meridian.moderation.upstream.base-url", Stubs.url(server) + "/v1",
                "meridian.moderation.upstream.api-key", API_KEY,
                "quarkus.rest-client.images.url", Stubs.url(server),
                "meridian.moderation.images.allowed-hosts", "127.0.0.1",
                "meridian.moderation.images.fetch-timeout", "3S");
    }

    @Override
    public void stop() {
        Stubs.stop(server);
        if (trickle != null) {
            trickle.stop();
        }
    }

    private static void trickle(HttpExchange exchange) {
        CompletableFuture<String> outcome = TRICKLE;
        int total = 300;
        int sent = 0;
        try (exchange) {
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, total);
            OutputStream body = exchange.getResponseBody();
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

    /** The upstream's moderation answer: recorded, failed on demand, refused for REJECT, else one result per input. */
    private static ResponseDefinition moderations(ServeEvent event) {
        String body = event.getRequest().getBodyAsString();
        UPSTREAM.record(body, event.getRequest().getHeader("Authorization"));
        if (UPSTREAM.failing()) {
            return Stubs.error(500, "upstream broke", "server_error", null, null).build();
        }
        if (body.contains("REJECT")) {
            return Stubs.error(400, "Upstream says the input is malformed.", "invalid_request_error", "input",
                    "invalid_input").build();
        }
        JsonNode input;
        try {
            input = Stubs.JSON.readTree(body).get("input");
        } catch (IOException e) {
            return Stubs.error(400, "We could not parse the JSON body of your request.", "invalid_request_error", null,
                    null).build();
        }
        boolean strings = input.isArray() && input.size() > 0 && input.get(0).isTextual();
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < (strings ? input.size() : 1); i++) {
            String text = strings ? input.get(i).toString() : input.isArray() ? input.toString() : input.asText();
            boolean violent = text.contains("VIOLENT");
            List<String> types = text.contains("image_url") ? List.of("text", "image") : List.of("text");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("flagged", violent);
            result.put("categories", Map.of("violence", violent, "sexual", false));
            // a score as a string, as some proxies write it: upstream answers are read tolerantly
            result.put("category_scores", Map.of("violence", violent ? 0.93 : 0.01, "sexual", "0.02"));
            result.put("category_applied_input_types", Map.of("violence", types, "sexual", types));
            results.add(result);
        }
        return Stubs.json(200, Map.of("id", "modr-upstream", "model", "upstream-snapshot", "results", results)).build();
    }
}
