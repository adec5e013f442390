package dev.meridian.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stand-ins for the services: each echoes what reached it (method, URI, auth, request id, body) so a
 * test can see exactly what the edge forwarded, and names itself in {@code x-upstream}. The images route
 * points at a port nothing listens on; the moderation route has three replicas, the first of them dead. A path ending
 * in {@code /silent} is taken and never answered, and the edge waits 3 s ({@code meridian.edge.timeout}) for it.
 */
public class StubUpstream implements QuarkusTestResourceLifecycleManager {

    private final List<HttpServer> servers = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            int models = echo("models");
            int closed = closedPort();
            return Map.of(
                    "meridian.edge.timeout", "3s",
                    "meridian.edge.routes.models.url", "http://127.0.0.1:" + models,
                    "meridian.edge.routes.admin.url", "http://127.0.0.1:" + models,
                    "meridian.edge.routes.images.url", "http://127.0.0.1:" + closed,
                    "meridian.edge.routes.moderation.url", "http://127.0.0.1:" + closed
                            + ",http://127.0.0.1:" + echo("moderation-2") + ",http://127.0.0.1:" + echo("moderation-3"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int echo(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/silent")) {
                // an upstream that takes the request and never answers (a stuck replica): the exchange stays open
                // until the edge gives up on it or the stub stops
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String echo = exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    + "\nauthorization=" + exchange.getRequestHeaders().getFirst("Authorization")
                    + "\nrequest-id=" + exchange.getRequestHeaders().getFirst("x-request-id")
                    + "\nbody=" + body;
            byte[] out = echo.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "text/plain");
            exchange.getResponseHeaders().add("x-upstream", name);
            exchange.sendResponseHeaders(207, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void stop() {
        servers.forEach(server -> server.stop(0));
    }
}
