package dev.meridian.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A chat-completions server on a free loopback port, speaking OpenAI's streaming wire format (server-sent
 * {@code data:} chunks, {@code [DONE]}), scripted per test: each request takes the next {@link Reply} from
 * {@link #SCRIPT} (or answers {@link #DEFAULT}), so a test decides text, tool calls split into fragments,
 * usage or none, errors with {@code retry-after}, delays, a hang and a stream cut mid-way. Every request
 * body is kept in {@link #REQUESTS}. Sets {@code meridian.chat.upstream.base-url} for the service under test.
 */
public class FakeChatUpstream implements QuarkusTestResourceLifecycleManager {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final BlockingDeque<Reply> SCRIPT = new LinkedBlockingDeque<>();
    public static final List<JsonNode> REQUESTS = new CopyOnWriteArrayList<>();
    public static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    public static final Reply DEFAULT = Reply.text("Hello", " from", " upstream");

    private HttpServer server;
    private ExecutorService threads;

    /** One answer: a status (200 streams {@link #frames}), headers, and how it misbehaves. */
    public record Reply(int status, Map<String, String> headers, String body, List<Frame> frames, long hangMillis,
            boolean cut) {

        /** A streamed text answer, one chunk per piece, then {@code stop} and usage in a last chunk. */
        public static Reply text(String... pieces) {
            return ending("stop", pieces);
        }

        /** As {@link #text}, stopping for {@code finish} ({@code length} for a token limit). */
        public static Reply ending(String finish, String... pieces) {
            List<Frame> frames = new ArrayList<>();
            frames.add(Frame.of(chunk(delta().put("role", "assistant").put("content", ""), null)));
            for (String piece : pieces) {
                frames.add(Frame.of(chunk(delta().put("content", piece), null)));
            }
            frames.add(Frame.of(chunk(delta(), finish)));
            frames.add(Frame.of(usage(11, pieces.length)));
            return new Reply(200, Map.of(), null, frames, 0, false);
        }

        /**
         * Tool calls, each {@code {name, arguments}}, their arguments split into fragments of {@code split}
         * characters and the calls' fragments interleaved by {@code index}; {@code tool_calls}, then usage.
         */
        public static Reply toolCalls(int split, String[]... calls) {
            List<Frame> frames = new ArrayList<>();
            frames.add(Frame.of(chunk(delta().put("role", "assistant"), null)));
            for (int i = 0; i < calls.length; i++) {
                ObjectNode delta = delta();
                ObjectNode call = delta.putArray("tool_calls").addObject().put("index", i).put("id", "call_fake" + i)
                        .put("type", "function");
                call.putObject("function").put("name", calls[i][0]).put("arguments", "");
                frames.add(Frame.of(chunk(delta, null)));
            }
            int longest = 0;
            for (String[] call : calls) {
                longest = Math.max(longest, call[1].length());
            }
            for (int at = 0; at < longest; at += split) {
                for (int i = 0; i < calls.length; i++) {
                    if (at < calls[i][1].length()) {
                        ObjectNode delta = delta();
                        delta.putArray("tool_calls").addObject().put("index", i).putObject("function").put("arguments",
                                calls[i][1].substring(at, Math.min(calls[i][1].length(), at + split)));
                        frames.add(Frame.of(chunk(delta, null)));
                    }
                }
            }
            frames.add(Frame.of(chunk(delta(), "tool_calls")));
            frames.add(Frame.of(usage(20, 7)));
            return new Reply(200, Map.of(), null, frames, 0, false);
        }

        /** An error answer with OpenAI's envelope. */
        public static Reply error(int status, String message, Map<String, String> headers) {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("error").put("message", message).put("type", "server_error");
            return new Reply(status, headers, body.toString(), List.of(), 0, false);
        }

        /** An error answer as Ollama sends it: {@code {"error": "…"}}, a bare string. */
        public static Reply bareError(int status, String message) {
            ObjectNode body = JSON.createObjectNode().put("error", message);
            return new Reply(status, Map.of(), body.toString(), List.of(), 0, false);
        }

        /** Sends nothing, not even headers, for {@code millis}. */
        public static Reply hang(long millis) {
            return new Reply(200, Map.of(), null, List.of(), millis, false);
        }

        /** These frames without {@code [DONE]}, then the connection closes. */
        public Reply cutAfter(int count) {
            return new Reply(status, headers, body, frames.subList(0, count), hangMillis, true);
        }

        /** These frames, each after {@code millis}. */
        public Reply paced(long millis) {
            return new Reply(status, headers, body, frames.stream().map(frame -> new Frame(millis, frame.data())).toList(),
                    hangMillis, cut);
        }

        /** These frames without the usage chunk (servers that report none). */
        public Reply withoutUsage() {
            return new Reply(status, headers, body, frames.stream().filter(frame -> !frame.data().contains("\"usage\""))
                    .toList(), hangMillis, cut);
        }
    }

    /** One server-sent event's data, sent after {@code delayMillis}. */
    public record Frame(long delayMillis, String data) {
        static Frame of(JsonNode data) {
            return new Frame(0, data.toString());
        }
    }

    public static void reset() {
        SCRIPT.clear();
        REQUESTS.clear();
        AUTHORIZATIONS.clear();
    }

    private static ObjectNode delta() {
        return JSON.createObjectNode();
    }

    private static JsonNode chunk(ObjectNode delta, String finish) {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
                .put("created", 1700000000).put("model", "fake");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return chunk;
    }

    private static JsonNode usage(int prompt, int completion) {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
                .put("created", 1700000000).put("model", "fake");
        chunk.putArray("choices");
        chunk.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        return chunk;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
        return Map.of("meridian.chat.upstream.base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
                "meridian.chat.upstream.api-key", "sk-fake-upstream");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            REQUESTS.add(JSON.readTree(in));
        }
        AUTHORIZATIONS.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        Reply reply = SCRIPT.poll();
        if (reply == null) {
            reply = DEFAULT;
        }
        try {
            if (reply.hangMillis() > 0) {
                Thread.sleep(reply.hangMillis());
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            if (reply.status() != 200) {
                HttpStub.respond(exchange, reply.status(), reply.body());
                return;
            }
            exchange.getResponseHeaders().add("content-type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (Frame frame : reply.frames()) {
                if (frame.delayMillis() > 0) {
                    Thread.sleep(frame.delayMillis());
                }
                out.write(("data: " + frame.data() + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (!reply.cut()) {
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (a cancelled run): nothing more to send
        } finally {
            exchange.close();
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
