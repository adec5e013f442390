package dev.meridian.edge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stand-ins for the services (WireMock servers): each echoes what reached it (method, URI, auth, request id, body) so a
 * test can see exactly what the edge forwarded, and names itself in {@code x-upstream}. The images route
 * points at a port nothing listens on; the moderation route has three replicas, the first of them dead. A path ending
 * in {@code /silent} is taken and answered only after 10 s, and the edge waits 3 s ({@code meridian.edge.timeout}) for it.
 */
public class StubUpstream implements QuarkusTestResourceLifecycleManager {

    private final List<WireMockServer> servers = new ArrayList<>();
    private ServerSocket dying;

    @Override
    public Map<String, String> start() {
        int models = echo("models");
        int closed = closedPort();
        return Map.of(
                "meridian.edge.timeout", "3s",
                "meridian.edge.routes.models.url", "http://127.0.0.1:" + models,
                "meridian.edge.routes.admin.url", "http://127.0.0.1:" + models,
                "meridian.edge.routes.images.url", "http://127.0.0.1:" + closed,
                "meridian.edge.routes.assistants.url", "http://127.0.0.1:" + dying(),
                "meridian.edge.routes.moderation.url", "http://127.0.0.1:" + closed
                        + ",http://127.0.0.1:" + echo("moderation-2") + ",http://127.0.0.1:" + echo("moderation-3"));
    }

    private int echo(String name) {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(new Echo()));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(5).willReturn(aResponse().withTransformers(Echo.NAME)
                .withTransformerParameter("name", name)));
        // a stuck replica: it takes the request and answers long after the edge has given up on it
        server.stubFor(any(urlPathMatching(".*/silent")).atPriority(1).willReturn(aResponse().withStatus(200)
                .withFixedDelay(10_000)));
        // a replica that dies under the request: its connection reset, or closed without an answer
        server.stubFor(any(urlPathMatching(".*/reset")).atPriority(1).willReturn(aResponse()
                .withFault(Fault.CONNECTION_RESET_BY_PEER)));
        server.stubFor(any(urlPathMatching(".*/empty")).atPriority(1).willReturn(aResponse()
                .withFault(Fault.EMPTY_RESPONSE)));
        servers.add(server);
        return server.port();
    }

    /**
     * A replica that dies as a request reaches it: it reads the request's head, then resets the connection, before the
     * body has come (what a killed JVM does to a create in flight).
     */
    private int dying() {
        try {
            dying = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(() -> {
            while (!dying.isClosed()) {
                try (Socket connection = dying.accept()) {
                    InputStream in = connection.getInputStream();
                    int last = 0;
                    for (int b; (b = in.read()) >= 0;) {
                        last = last << 8 | b;
                        if (last == 0x0d0a0d0a) { // the end of the head
                            break;
                        }
                    }
                    connection.setSoLinger(true, 0); // closed with a reset, as by a killed process
                } catch (IOException closed) {
                    // the stand-in is stopping, or the edge gave up on the connection
                }
            }
        }, "dying-replica");
        acceptor.setDaemon(true);
        acceptor.start();
        return dying.getLocalPort();
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        servers.forEach(WireMockServer::stop);
        try {
            dying.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What reached the stand-in, as text: method and URI, then its authorization, request id and body. */
    static final class Echo implements ResponseDefinitionTransformerV2 {

        static final String NAME = "echo";

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            String echo = request.getMethod() + " " + request.getUrl()
                    + "\nauthorization=" + request.getHeader("Authorization")
                    + "\nrequest-id=" + request.getHeader("x-request-id")
                    + "\nbody=" + request.getBodyAsString();
            return aResponse().withStatus(207).withHeader("content-type", "text/plain")
                    .withHeader("x-upstream", event.getTransformerParameters().getString("name")).withBody(echo).build();
        }
    }
}
