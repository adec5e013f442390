package dev.meridian.edge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(StubUpstream.class)
class EdgeRoutesTest {

    @Inject
    EdgeServer server;

    @BeforeEach
    void toTheEdgesOwnPort() {
        // the API's port is the edge's own server; Quarkus's (RestAssured's default) is the loopback one behind it
        RestAssured.port = server.port();
    }

    @Test
    void forwardsMethodPathQueryHeadersAndBodyUnchanged() {
        given().urlEncodingEnabled(false).header("Authorization", "Bearer abc").header("x-request-id", "edge-test-000001")
                .body("{\"x\":1}")
                .when().post("/v1/models/ft:gpt-4o-mini:acme:x:1?limit=3")
                .then().statusCode(207).header("x-upstream", "models")
                .body(equalTo("POST /v1/models/ft:gpt-4o-mini:acme:x:1?limit=3\nauthorization=Bearer abc"
                        + "\nrequest-id=edge-test-000001\nbody={\"x\":1}"));
    }

    @Test
    void theBarePrefixIsRoutedToo() {
        given().when().get("/v1/models").then().statusCode(207)
                .body(matchesPattern("(?s)GET /v1/models\nauthorization=null\nrequest-id=req_[0-9a-f]{32}\nbody=.*"));
    }

    @Test
    void theCatalogAdministrationGoesToModelsService() {
        given().urlEncodingEnabled(false).when().get("/admin/v1/models/llama3.1:8b").then().statusCode(207).header("x-upstream", "models")
                .body(matchesPattern("(?s)GET /admin/v1/models/llama3.1:8b\nauthorization=null\n.*"));
    }

    @Test
    void projectAdministrationGoesToAdminService() {
        given().header("Authorization", "Bearer sk-proj-abc").when().get("/v1/organization/projects/proj_1/api_keys?limit=2")
                .then().statusCode(207)
                .body(matchesPattern("(?s)GET /v1/organization/projects/proj_1/api_keys\\?limit=2\nauthorization=Bearer sk-proj-abc\n.*"));
    }

    @Test
    void unreachableUpstreamIs503Envelope() {
        Response response = given().when().get("/v1/images/content/x");
        response.then().statusCode(503).contentType("application/json").header("retry-after", "1");
        assertEquals(envelope("The images service is temporarily unavailable. Please retry your request shortly.",
                "server_error"), response.as(Map.class));
    }

    @Test
    void anUpstreamThatDoesNotAnswerIs504Envelope() {
        Response response = given().when().get("/v1/models/silent");
        response.then().statusCode(504).contentType("application/json").header("retry-after", "1");
        assertEquals(envelope("The models service did not answer within 3 seconds. Please retry your request shortly.",
                "server_error"), response.as(Map.class));
    }

    @Test
    void aReplicaThatDiesUnderTheRequestIs503EnvelopeNotABare502() {
        for (String path : List.of("/v1/models/x/reset", "/v1/models/x/empty")) {
            for (String method : List.of("GET", "POST")) {
                Response response = given().body(method.equals("POST") ? "{\"model\":\"gpt-4o\"}" : "")
                        .when().request(method, path);
                response.then().statusCode(503).contentType("application/json").header("retry-after", "1");
                assertEquals(envelope("The models service is temporarily unavailable. Please retry your request shortly.",
                        "server_error"), response.as(Map.class), method + " " + path);
            }
        }
    }

    @Test
    void aReplicaThatDiesBeforeTheBodyHasReachedItIs503EnvelopeToo() throws Exception {
        // the edge relays the head at once and the body as it comes: the replica resets the connection in between, so
        // the exchange fails while the client is still there, waiting for an answer (a small body that comes late,
        // then a large one still being relayed when the reset comes)
        String small = "{\"messages\":[]}";
        String large = "{\"metadata\":{\"pad\":\"" + "p".repeat(4 << 20) + "\"}}";
        for (int attempt = 0; attempt < 6; attempt++) {
            String body = attempt % 2 == 0 ? small : large;
            Raw answer = raw("POST /v1/threads HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                    + body.substring(0, 5), body.substring(5));
            assertEquals(new Raw(503, envelope("The assistants service is temporarily unavailable. Please retry your"
                    + " request shortly.", "server_error")), answer, "attempt " + attempt);
        }
    }

    @Test
    void aClientThatHangsUpIsNotReportedAsTheServiceFailing() throws Exception {
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger edge = Logger.getLogger(EdgeRoutes.class.getName());
        edge.addHandler(handler);
        try {
            // a request the service takes and does not answer, whose client gives up after half a second
            HttpClient client = HttpClient.newBuilder().build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                    + "/v1/models/slow-client/silent")).timeout(Duration.ofMillis(500)).GET().build();
            assertThrows(HttpTimeoutException.class, () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
            // the edge cancels the exchange when the client's connection closes: no 503 or 504 is logged for it,
            // neither then nor when the edge's own timeout (3 s) would have come
            Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> warnings.stream()
                    .noneMatch(record -> (record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage())
                            .contains("slow-client")));
        } finally {
            edge.removeHandler(handler);
        }
    }

    @Test
    void replicasAreTakenInTurnAndARefusingOneSitsOut() {
        // moderation's replicas: a dead one, moderation-2, moderation-3 (StubUpstream). The first request tries the
        // dead one, which then sits out, and goes on to moderation-2. From then on each turn that falls on the dead
        // one goes to the next replica: turns 0..5 land on 2, 2, 3, 2, 2, 3. A POST is safe to move, as the dead
        // replica never accepted a connection.
        Map<String, Integer> served = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            Response response = given().body("{\"input\":\"" + i + "\"}").when().post("/v1/moderations");
            response.then().statusCode(207)
                    .body(matchesPattern("(?s)POST /v1/moderations\n.*\nbody=\\{\"input\":\"" + i + "\"\\}"));
            served.merge(response.header("x-upstream"), 1, Integer::sum);
        }
        assertEquals(Map.of("moderation-2", 4, "moderation-3", 2), served);
    }

    @Test
    void anOverLongRequestLineIs414Envelope() {
        // 4,096 bytes is the services' own limit: "GET " + 4,083 characters + " HTTP/1.1" passes, one more does not
        String fits = "/v1/models/" + "a".repeat(4083 - "/v1/models/".length());
        given().urlEncodingEnabled(false).when().get(fits).then().statusCode(207).header("x-upstream", "models");
        Response response = given().urlEncodingEnabled(false).when().get(fits + "a");
        response.then().statusCode(414).contentType("application/json");
        assertEquals(envelope("The request line is 4097 bytes long; the limit is 4096 bytes. Send long inputs in"
                + " the request body.", "invalid_request_error"), response.as(Map.class));
        // up to the codec's own limit (64 KB) it is still an envelope
        given().urlEncodingEnabled(false).when().get("/v1/models?q=" + "a".repeat(60_000)).then().statusCode(414)
                .contentType("application/json");
    }

    @Test
    void whatTheCodecCannotReadIsAnEnvelopeToo() throws Exception {
        // over the codec's limits Vert.x would answer a bare status before any route runs; the edge's own server
        // answers with the envelope and closes the connection, since nothing after it can be framed
        assertEquals(new Raw(414, envelope("The request line is over 65536 bytes, the most the edge reads. Send long"
                + " inputs in the request body.", "invalid_request_error")),
                raw("GET /v1/models?q=" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(new Raw(431, envelope("The request headers are over 65536 bytes, the most the edge reads.",
                "invalid_request_error")),
                raw("GET /v1/models HTTP/1.1\r\nHost: x\r\nx-padding: " + "p".repeat(70_000) + "\r\n\r\n"));
        Raw notHttp = raw("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003 hello\r\n\r\n");
        assertEquals(400, notHttp.status());
        Map<?, ?> error = (Map<?, ?>) notHttp.body().get("error");
        assertEquals("invalid_request_error", error.get("type"));
        assertTrue(((String) error.get("message")).startsWith("The request could not be read as HTTP/1.1"),
                (String) error.get("message"));
        // and the server takes the next connection as usual
        given().when().get("/v1/models").then().statusCode(207).header("x-upstream", "models");
    }

    @Test
    void healthIsServedThroughTheEdgesPort() {
        given().when().get("/q/health/ready").then().statusCode(200).contentType("application/json")
                .body("status", equalTo("UP"));
    }

    private record Raw(int status, Map<?, ?> body) {
    }

    /**
     * Sends these bytes as they are, the parts 300 ms apart, and reads the answer to the end: the server must close the
     * connection. A part the server no longer takes (it answered already) is left unsent.
     */
    private static Raw raw(String request, String... later) throws IOException, InterruptedException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            for (String part : later) {
                Thread.sleep(300);
                try {
                    socket.getOutputStream().write(part.getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException answeredAlready) {
                    break;
                }
            }
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            // HTTP/1.0 when the codec could not read the version the client spoke
            assertTrue(answer.startsWith("HTTP/1.1 ") || answer.startsWith("HTTP/1.0 "), answer);
            String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
            assertTrue(head.contains("content-type: application/json"), answer);
            assertTrue(head.contains("connection: close"), answer);
            return new Raw(Integer.parseInt(answer.substring(9, 12)), new com.fasterxml.jackson.databind.ObjectMapper()
                    .readValue(answer.substring(answer.indexOf("\r\n\r\n") + 4), Map.class));
        }
    }

    @Test
    void overLargeHeadersAre431Envelope() {
        Response response = given().header("x-padding", "p".repeat(20_000)).when().get("/v1/models");
        response.then().statusCode(431).contentType("application/json");
        Map<?, ?> error = (Map<?, ?>) response.as(Map.class).get("error");
        assertEquals("invalid_request_error", error.get("type"));
        assertTrue(((String) error.get("message")).matches("The request headers are \\d+ bytes; the limit is 16384"
                + " bytes\\."), (String) error.get("message"));
        given().header("x-padding", "p".repeat(15_000)).when().get("/v1/models").then().statusCode(207);
    }

    @Test
    void aUriThatCannotBeParsedIs400Envelope() throws Exception {
        // no HTTP client sends these, so over a socket, as curl would
        assertEquals(envelope("Invalid URL (GET /v1/models/%): malformed escape pair at index 11.",
                "invalid_request_error"), rawGet("/v1/models/%"));
        assertEquals(envelope("Invalid URL (GET /v1/assistants?after=%zz): malformed escape pair at index 21.",
                "invalid_request_error"), rawGet("/v1/assistants?after=%zz"));
    }

    /** The envelope a GET of this raw request target answers with a 400. */
    private static Map<?, ?> rawGet(String target) throws IOException, InterruptedException {
        Raw answer = raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(400, answer.status());
        return answer.body();
    }

    @Test
    void unknownPathIs404Envelope() {
        Response response = given().when().get("/v1/nope");
        response.then().statusCode(404).contentType("application/json");
        assertEquals(envelope("Invalid URL (GET /v1/nope)", "invalid_request_error"), response.as(Map.class));
    }

    @Test
    void theServicesMetersAreNotRouted() {
        // only /v1 goes to the services: their /q/metrics is for the cluster's Prometheus, not the public edge
        Response response = given().when().get("/q/metrics");
        response.then().statusCode(404).contentType("application/json");
        assertEquals(null, response.header("x-upstream"));
        assertEquals(envelope("Invalid URL (GET /q/metrics)", "invalid_request_error"), response.as(Map.class));
    }

    private static Map<String, Object> envelope(String message, String type) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", null);
        error.put("code", null);
        return Map.of("error", error);
    }
}
