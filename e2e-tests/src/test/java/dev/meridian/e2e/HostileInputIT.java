package dev.meridian.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Hostile input through the edge: a corpus of hundreds of malformed requests across every endpoint (broken and deeply
 * nested JSON, wrong types, huge numbers and strings, unicode edge cases and NUL bytes, oversized and truncated
 * multipart, forged and {@code alg:none} tokens, SSRF URLs, path traversal, methods and content types that do not
 * apply). Every answer must be a 4xx in OpenAI's error envelope ({@code error.message} a non-empty string,
 * {@code error.type} a string, {@code param} and {@code code} strings or null), none a 5xx, none slower than the
 * client's timeout; where a case names the parameter it breaks, the envelope must name it (or a part of it, such as
 * {@code input[0]}). The stack answers a normal request afterwards. Over a raw socket: URIs with broken
 * percent-escapes, a request line and headers over the edge codec's 64 KB, and bytes that are not HTTP (the edge's own
 * server answers those with envelopes too, {@code EdgeServer}).
 */
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** One request of the corpus; {@code param} is the parameter the envelope must name, or null to not check it. */
    private record Case(String name, String method, String path, String contentType, byte[] body,
            Map<String, String> headers, String param) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String token = Stack.token("member");

    @Test
    void everyHostileRequestGetsAFourHundredEnvelopeAndTheStackStaysHealthy() throws Exception {
        List<Case> corpus = corpus();
        assertTrue(corpus.size() >= 500, "corpus of " + corpus.size());
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Case c : corpus) {
            String problem;
            try {
                HttpResponse<String> response = http.send(request(c), HttpResponse.BodyHandlers.ofString());
                statuses.merge(response.statusCode(), 1, Integer::sum);
                problem = check(c, response);
            } catch (java.net.http.HttpTimeoutException e) {
                problem = "no answer within " + TIMEOUT.toSeconds() + " s";
            } catch (java.io.IOException e) {
                problem = "no HTTP answer: " + e;
            }
            if (problem != null) {
                failures.add(c.name() + " (" + c.method() + " " + abbreviated(c.path()) + "): " + problem);
            }
        }
        // what no HTTP client library sends, over a socket as curl or a port scanner would: URIs with broken
        // percent-escapes, a request line and headers over what the edge's codec reads, bytes that are not HTTP
        String host = URI.create(Stack.baseUrl()).getHost();
        List<Raw> raws = new ArrayList<>();
        for (String target : List.of("/v1/models/%", "/v1/assistants/%2", "/v1/assistants?after=%zz",
                "/v1/threads/%G0/messages", "/v1/moderations%")) {
            raws.add(new Raw("GET " + target, "GET " + target + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n", 400, "Invalid URL (GET " + target + "): "));
        }
        raws.add(new Raw("a 70 KB request line", "GET /v1/models?q=" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: " + host
                + "\r\n\r\n", 414, "The request line is over 65536 bytes"));
        raws.add(new Raw("70 KB of headers", "GET /v1/models HTTP/1.1\r\nHost: " + host + "\r\nx-padding: "
                + "p".repeat(70_000) + "\r\n\r\n", 431, "The request headers are over 65536 bytes"));
        raws.add(new Raw("a TLS hello on the plain port", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc"
                + "\u0003\u0003\r\n\r\n", 400, "The request could not be read as HTTP/1.1"));
        raws.add(new Raw("an SSH banner", "SSH-2.0-OpenSSH_9.6\r\n\r\n", 400,
                "The request could not be read as HTTP/1.1"));
        for (Raw raw : raws) {
            String problem = rawProblem(raw);
            statuses.merge(raw.status(), problem == null ? 1 : 0, Integer::sum);
            if (problem != null) {
                failures.add("raw " + raw.name() + ": " + problem);
            }
        }
        System.out.println("HostileInputIT: " + (corpus.size() + raws.size()) + " requests, statuses " + statuses);
        assertEquals(List.of(), failures, failures.size() + " of " + corpus.size() + " requests");
        // still healthy: a normal request is answered
        HttpResponse<String> models = http.send(authorized(HttpRequest.newBuilder(uri("/v1/models"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, models.statusCode());
    }

    /** Bytes sent as they are, and the envelope expected: its status and the start of its message. */
    private record Raw(String name, String request, int status, String message) {
    }

    /** Null when these bytes are answered with the expected envelope, else what is wrong with the answer. */
    private static String rawProblem(Raw raw) throws java.io.IOException {
        java.net.URI base = URI.create(Stack.baseUrl());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(raw.request().getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            // HTTP/1.0 when the codec could not read the version the client spoke
            if (!answer.matches("(?s)HTTP/1\\.[01] " + raw.status() + " .*") || split < 0) {
                return "not a " + raw.status() + ": " + abbreviated(answer);
            }
            JsonNode error = JSON.readTree(answer.substring(split + 4)).path("error");
            return error.path("message").asText().startsWith(raw.message())
                    && error.path("type").asText().equals("invalid_request_error") ? null
                    : "not the envelope: " + abbreviated(answer);
        } catch (java.net.SocketTimeoutException e) {
            return "no answer within " + TIMEOUT.toSeconds() + " s";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "no JSON body: " + e.getOriginalMessage();
        }
    }

    /** Null when the answer is a 4xx envelope that names {@code c.param()} (if set), else what is wrong with it. */
    private static String check(Case c, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status < 400 || status >= 500) {
            return "status " + status + ": " + abbreviated(response.body());
        }
        JsonNode error;
        try {
            error = JSON.readTree(response.body()).get("error");
        } catch (Exception e) {
            return "status " + status + " without a JSON body: " + abbreviated(response.body());
        }
        if (error == null || !error.path("message").isTextual() || error.path("message").asText().isBlank()
                || !error.path("type").isTextual() || !(error.path("param").isTextual() || error.path("param").isNull())
                || !(error.path("code").isTextual() || error.path("code").isNull())) {
            return "status " + status + ", not an error envelope: " + abbreviated(response.body());
        }
        String param = error.path("param").asText(null);
        if (c.param() != null && (param == null || !(param.equals(c.param()) || param.startsWith(c.param() + "[")
                || param.startsWith(c.param() + ".")))) {
            return "status " + status + ", param " + error.path("param") + " instead of '" + c.param() + "': "
                    + abbreviated(response.body());
        }
        return null;
    }

    private HttpRequest request(Case c) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(c.path())).timeout(TIMEOUT)
                .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (!c.headers().containsKey("Authorization")) {
            authorized(builder);
        }
        builder.header("OpenAI-Beta", "assistants=v2");
        if (c.contentType() != null) {
            builder.header("Content-Type", c.contentType());
        }
        c.headers().forEach((name, value) -> {
            if (!value.isEmpty()) {
                builder.header(name, value);
            }
        });
        return builder.build();
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        return builder.header("Authorization", "Bearer " + token);
    }

    private static URI uri(String path) {
        return URI.create(Stack.baseUrl().replace("/v1", "") + path);
    }

    private static String abbreviated(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    // ---- the corpus ----

    private List<Case> corpus() throws Exception {
        List<Case> cases = new ArrayList<>();
        String assistant = create("/v1/assistants", "{\"model\":\"gpt-4o-mini\"}");
        String thread = create("/v1/threads", "{}");
        Map<String, Map<String, Object>> endpoints = new LinkedHashMap<>();
        endpoints.put("/v1/moderations", Map.of("input", "hello", "model", "omni-moderation-latest"));
        endpoints.put("/v1/images/generations", Map.of("prompt", "an owl", "n", 1, "size", "256x256",
                "response_format", "url"));
        endpoints.put("/v1/assistants", Map.of("model", "gpt-4o-mini", "name", "a", "temperature", 1,
                "metadata", Map.of("k", "v")));
        endpoints.put("/v1/assistants/" + assistant, Map.of("name", "b", "top_p", 1));
        endpoints.put("/v1/threads", Map.of("messages", List.of(Map.of("role", "user", "content", "hi")),
                "metadata", Map.of()));
        endpoints.put("/v1/threads/" + thread + "/messages", Map.of("role", "user", "content", "hi"));
        endpoints.put("/v1/threads/" + thread + "/runs", Map.of("assistant_id", assistant, "max_prompt_tokens", 256,
                "temperature", 1));
        endpoints.put("/v1/threads/runs", Map.of("assistant_id", assistant, "max_completion_tokens", 256));
        Map<String, List<String>> required = Map.of("/v1/moderations", List.of("input"), "/v1/images/generations",
                List.of("prompt"), "/v1/assistants", List.of("model"), "/v1/threads/" + thread + "/messages",
                List.of("role", "content"), "/v1/threads/" + thread + "/runs", List.of("assistant_id"),
                "/v1/threads/runs", List.of("assistant_id"));
        for (Map.Entry<String, Map<String, Object>> e : endpoints.entrySet()) {
            brokenBodies(cases, e.getKey());
            wrongTypes(cases, e.getKey(), e.getValue(), required.getOrDefault(e.getKey(), List.of()));
        }
        paths(cases, assistant, thread);
        queries(cases, thread);
        tokens(cases);
        ssrf(cases);
        multipart(cases);
        return cases;
    }

    private String create(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(authorized(HttpRequest.newBuilder(uri(path)))
                .header("OpenAI-Beta", "assistants=v2").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("id").asText();
    }

    private static Case json(String name, String path, String body, String param) {
        return new Case(name, "POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8), Map.of(), param);
    }

    private static void brokenBodies(List<Case> cases, String path) {
        // not JSON, or not a JSON object (an empty body and null are accepted where every field is optional, as by
        // OpenAI; unknown fields are ignored, so that newer SDKs keep working: neither is in the corpus)
        String[] bodies = {"{", "}", "[", "nul", "\"text\"", "123", "[]", "{\"a\":}", "{\"a\" 1}",
            "{'a': 1}", "{\"a\":1,}", "\u0000", "{\"a\":1}garbage", "{}{}", "[".repeat(5000) + "]".repeat(5000),
            "{\"a\":".repeat(3000) + "1" + "}".repeat(3000), "{\"a\":-}", "{\"a\":0x10}", "{\"a\":NaN}",
            "{\"a\":\"unterminated}", "{\"a\":tru}", "{\"a\":\"\\x41\"}"};
        for (int i = 0; i < bodies.length; i++) {
            cases.add(json("broken body " + i, path, bodies[i], null));
        }
        byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'};
        cases.add(new Case("invalid UTF-8", "POST", path, "application/json", invalidUtf8, Map.of(), null));
        for (String type : new String[] {"text/plain", "application/xml", "application/x-www-form-urlencoded"}) {
            cases.add(new Case("content type " + type, "POST", path, type,
                    "{}".getBytes(StandardCharsets.UTF_8), Map.of(), null));
        }
        cases.add(new Case("PUT", "PUT", path, "application/json", "{}".getBytes(StandardCharsets.UTF_8), Map.of(),
                null));
        cases.add(new Case("PATCH", "PATCH", path, "application/json", "{}".getBytes(StandardCharsets.UTF_8), Map.of(),
                null));
    }

    /**
     * Each field of a valid body replaced by a value of every other JSON kind (the envelope must name the field), by
     * an out-of-range or over-long value of its own kind, and a required one by null.
     */
    private static void wrongTypes(List<Case> cases, String path, Map<String, Object> valid, List<String> required)
            throws Exception {
        Object[] values = {123, 1.5, 9223372036854775807L, 1e308, true, "x", "", "3", List.of(), List.of(1, 2), Map.of()};
        for (String field : valid.keySet()) {
            String kind = kind(valid.get(field));
            for (Object value : values) {
                boolean sameKind = kind.equals(kind(value));
                boolean outOfRange = kind.equals("number") && value instanceof Number n && Math.abs(n.doubleValue()) > 1e6;
                if (sameKind && !outOfRange) {
                    continue; // a valid type and value: not hostile
                }
                Map<String, Object> body = new LinkedHashMap<>(valid);
                body.put(field, value);
                cases.add(json(field + " = " + JSON.writeValueAsString(value), path, JSON.writeValueAsString(body),
                        field));
            }
            if (kind.equals("string") && !path.equals("/v1/moderations")) {
                for (String value : new String[] {"a".repeat(300_000), "nul\u0000byte"}) {
                    Map<String, Object> body = new LinkedHashMap<>(valid);
                    body.put(field, value);
                    // a NUL is refused naming the field; an over-long string by whichever limit meets it first
                    cases.add(json(field + " = " + abbreviated(JSON.writeValueAsString(value)), path,
                            JSON.writeValueAsString(body), value.indexOf('\u0000') >= 0 ? field : null));
                }
            }
            if (required.contains(field)) {
                Map<String, Object> body = new LinkedHashMap<>(valid);
                body.put(field, null);
                cases.add(json(field + " = null", path, JSON.writeValueAsString(body), field));
                body.remove(field);
                cases.add(json(field + " missing", path, JSON.writeValueAsString(body), field));
            }
        }
    }

    private static String kind(Object value) {
        return value instanceof Number ? "number" : value instanceof String ? "string" : value instanceof Boolean
                ? "boolean" : value instanceof List ? "array" : "object";
    }

    private static void paths(List<Case> cases, String assistant, String thread) {
        String[] ids = {"%00", "..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", "%ff", "%C3%28", "a%20b",
            "%F0%9F%98%80", "x".repeat(3000), "%C3%A9", "%E2%80%AE", "'%20OR%201=1--", "%0d%0aX-Injected:%201"};
        String[] templates = {"/v1/models/%s", "/v1/assistants/%s", "/v1/threads/%s", "/v1/threads/%s/messages",
            "/v1/threads/" + thread + "/messages/%s", "/v1/threads/" + thread + "/runs/%s",
            "/v1/threads/%s/runs", "/v1/images/content/%s"};
        for (String template : templates) {
            for (String id : ids) {
                String path = String.format(template, id);
                cases.add(new Case("path " + abbreviated(id), "GET", path, null, null, Map.of(), null));
            }
        }
        cases.add(new Case("DELETE an unknown assistant", "DELETE", "/v1/assistants/asst_nope", null, null,
                Map.of(), null));
        cases.add(new Case("POST to a list", "POST", "/v1/models", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), Map.of(), null));
        cases.add(new Case("unknown route", "GET", "/v1/nothing-here", null, null, Map.of(), null));
        cases.add(new Case("assistant of another kind", "GET", "/v1/assistants/" + thread, null, null, Map.of(), null));
        cases.add(new Case("thread of another kind", "GET", "/v1/threads/" + assistant, null, null, Map.of(), null));
        // over the services' 4 KB request line and the edge's 16 KB of headers: the edge's 414 and 431 envelopes
        for (String template : List.of("/v1/models/%s", "/v1/assistants?after=%s", "/v1/threads/%s/messages")) {
            cases.add(new Case("5 KB request line", "GET", String.format(template, "x".repeat(5_000)), null, null,
                    Map.of(), null));
            cases.add(new Case("60 KB request line", "GET", String.format(template, "x".repeat(60_000)), null, null,
                    Map.of(), null));
        }
        for (String path : List.of("/v1/models", "/v1/assistants", "/v1/moderations")) {
            cases.add(new Case("30 KB of headers", "GET", path, null, null, Map.of("x-padding", "p".repeat(30_000)),
                    null));
        }
    }

    private static void queries(List<Case> cases, String thread) {
        String[] lists = {"/v1/assistants", "/v1/threads/" + thread + "/messages", "/v1/threads/" + thread + "/runs"};
        String[][] queries = {{"limit", "0"}, {"limit", "101"}, {"limit", "-1"}, {"limit", "abc"},
            {"limit", "99999999999999999999"}, {"limit", "1.5"}, {"order", "sideways"}, {"order", "%00"},
            {"after", "%00"}, {"before", "x".repeat(2000)}, {"after", "%ff"}};
        for (String list : lists) {
            for (String[] q : queries) {
                String param = q[1].equals("%00") || q[1].equals("%ff") || q[1].length() > 1000 ? null : q[0];
                cases.add(new Case("query " + q[0] + "=" + abbreviated(q[1]), "GET", list + "?" + q[0] + "=" + q[1],
                        null, null, Map.of(), param));
            }
        }
    }

    private static void tokens(List<Case> cases) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String claims = b64.encodeToString(("{\"sub\":\"x\",\"iss\":\"http://evil\",\"exp\":4102444800,"
                + "\"org_id\":\"org-dev\"}").getBytes(StandardCharsets.UTF_8));
        String none = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + claims + ".";
        String forged = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"nope\"}"
                .getBytes(StandardCharsets.UTF_8)) + "." + claims + "." + b64.encodeToString(new byte[256]);
        String hs256 = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + claims + "." + b64.encodeToString(new byte[32]);
        String[] values = {"", "Bearer", "Bearer ", "Bearer abc", "Bearer " + none, "Bearer " + forged,
            "Bearer " + hs256, "Basic dXNlcjpwYXNz", "Bearer sk-proj-notakey", "Bearer sk-" + "a".repeat(2000),
            "bearer " + none, "Bearer a.b.c", "Bearer ....", "Bearer " + "x".repeat(8000)};
        String[] paths = {"/v1/models", "/v1/assistants", "/v1/moderations", "/v1/images/generations",
            "/v1/organization/projects"};
        for (String path : paths) {
            for (String value : values) {
                boolean post = path.equals("/v1/moderations") || path.equals("/v1/images/generations");
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Authorization", value);
                cases.add(new Case("authorization " + abbreviated(value), post ? "POST" : "GET", path,
                        post ? "application/json" : null, post ? "{\"input\":\"x\",\"prompt\":\"x\"}"
                                .getBytes(StandardCharsets.UTF_8) : null, headers, null));
            }
        }
    }

    private static void ssrf(List<Case> cases) throws Exception {
        String[] urls = {"file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:22/",
            "http://[::1]:8080/", "http://0.0.0.0/", "http://localhost/", "gopher://127.0.0.1:70/", "ftp://example.com/a",
            "jar:file:///x!/y", "http://10.0.0.1/x.png", "http://192.168.1.1/x.png", "http://[fe80::1]/x.png",
            "http://2130706433/x.png", "http://0x7f000001/x.png", "http://[::ffff:127.0.0.1]/x.png",
            "data:image/png;base64,!!!!", "data:text/html,<script>", "data:image/png;base64,", "//evil/x.png",
            "http://user:pass@127.0.0.1/", "not a url", "", "http://" + "a".repeat(5000) + ".com/x.png"};
        for (String url : urls) {
            String body = JSON.writeValueAsString(Map.of("model", "omni-moderation-latest", "input",
                    List.of(Map.of("type", "image_url", "image_url", Map.of("url", url)))));
            cases.add(json("image_url " + abbreviated(url), "/v1/moderations", body, null));
        }
    }

    private static void multipart(List<Case> cases) {
        String boundary = "----meridian";
        String[] bodies = {
            "--" + boundary + "\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n--" + boundary + "--\r\n",
            "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\nnot a png\r\n--" + boundary + "\r\nContent-Disposition: form-data;"
                    + " name=\"prompt\"\r\n\r\nx\r\n--" + boundary + "--\r\n",
            "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n\u0089PNG\r\n",
            "--" + boundary + "\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\nmany\r\n--" + boundary + "--\r\n",
            "not multipart at all",
            "--" + boundary + "--\r\n",
            "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"../../etc/passwd\"\r\n"
                    + "Content-Type: image/png\r\n\r\nx\r\n--" + boundary + "--\r\n"};
        for (String path : new String[] {"/v1/images/edits", "/v1/images/variations"}) {
            for (int i = 0; i < bodies.length; i++) {
                cases.add(new Case("multipart " + i, "POST", path, "multipart/form-data; boundary=" + boundary,
                        bodies[i].getBytes(StandardCharsets.ISO_8859_1), Map.of(), null));
            }
            cases.add(new Case("multipart without boundary", "POST", path, "multipart/form-data",
                    bodies[0].getBytes(StandardCharsets.ISO_8859_1), Map.of(), null));
            cases.add(new Case("JSON to a multipart endpoint", "POST", path, "application/json",
                    "{\"prompt\":\"x\"}".getBytes(StandardCharsets.UTF_8), Map.of(), null));
        }
    }
}
