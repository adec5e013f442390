package dev.meridian.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for models-service: echoes what reached it (method, URI, auth, request id, body) so a
 * test can see exactly what the edge forwarded. The images route points at a port nothing listens on.
 */
public class StubUpstream implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String echo = exchange.getRequestMethod() + " " + exchange.getRequestURI()
                        + "\nauthorization=" + exchange.getRequestHeaders().getFirst("Authorization")
                        + "\nrequest-id=" + exchange.getRequestHeaders().getFirst("x-request-id")
                        + "\nbody=" + body;
                byte[] out = echo.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("content-type", "text/plain");
                exchange.getResponseHeaders().add("x-upstream", "models");
                exchange.sendResponseHeaders(207, out.length);
                exchange.getResponseBody().write(out);
                exchange.close();
            });
            server.start();
            return Map.of(
                    "meridian.edge.routes.models.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "meridian.edge.routes.admin.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "meridian.edge.routes.images.url", "http://127.0.0.1:" + closedPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
