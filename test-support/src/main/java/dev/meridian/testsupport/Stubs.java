package dev.meridian.testsupport;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * WireMock servers that stand in for other Meridian services and for upstream providers in a service's own tests:
 * each on a free loopback port, answering JSON written by Jackson.
 */
public final class Stubs {

    public static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The {@code Authorization} of a request a service makes on its caller's behalf: the caller's own bearer credential,
     * a Keycloak token or an {@code sk-} key, passed on by token propagation. The stand-ins answer only requests that
     * carry it (a 401 otherwise), so a service that stops passing it on fails its tests.
     */
    public static final StringValuePattern CALLER_CREDENTIAL = WireMock.matching("Bearer (ey|sk-).*");

    /** The answer to a request without the caller's credential. */
    public static ResponseDefinitionBuilder noCredential() {
        return error(401, "no caller credential", "invalid_request_error", null, "invalid_api_key");
    }

    private Stubs() {
    }

    /** A started server on a free loopback port, with the given extensions (e.g. response transformers). */
    public static WireMockServer start(Extension... extensions) {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(16).jettyAcceptors(1).extensions(extensions));
        server.start();
        return server;
    }

    /**
     * A response transformer named {@code name} that stubs apply with {@code withTransformers(name)}: {@code answer}
     * computes the answer from the request.
     */
    public static ResponseDefinitionTransformerV2 answering(String name, Function<ServeEvent, ResponseDefinition> answer) {
        return new ResponseDefinitionTransformerV2() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean applyGlobally() {
                return false;
            }

            @Override
            public ResponseDefinition transform(ServeEvent event) {
                return answer.apply(event);
            }
        };
    }

    public static String url(WireMockServer server) {
        return "http://127.0.0.1:" + server.port();
    }

    /** An answer with {@code body} as JSON. */
    public static ResponseDefinitionBuilder json(int status, Object body) {
        try {
            return WireMock.aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                    .withBody(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An answer with OpenAI's error envelope. */
    public static ResponseDefinitionBuilder error(int status, String message, String type, String param, String code) {
        return json(status, Envelopes.error(message, type, param, code));
    }

    /** The bodies of the requests the server received for {@code path} (since its journal was reset), oldest first. */
    public static List<String> bodies(WireMockServer server, String path) {
        List<String> bodies = new ArrayList<>();
        for (ServeEvent event : server.getAllServeEvents()) {
            if (event.getRequest().getUrl().startsWith(path)) {
                bodies.add(event.getRequest().getBodyAsString());
            }
        }
        Collections.reverse(bodies); // the journal lists the newest first
        return bodies;
    }

    /** Adds the stub {@code id} (answering {@code request} at {@code priority}, 1 first), or removes it if present. */
    public static void toggle(WireMockServer server, boolean on, UUID id, int priority, MappingBuilder request,
            ResponseDefinitionBuilder answer) {
        if (on) {
            server.stubFor(request.withId(id).atPriority(priority).willReturn(answer));
        } else {
            remove(server, id);
        }
    }

    /** Removes the stub {@code id} if the server has it. */
    public static void remove(WireMockServer server, UUID id) {
        if (server.getStubMappings().stream().anyMatch(stub -> id.equals(stub.getId()))) {
            server.removeStub(id);
        }
    }

    public static void stop(WireMockServer server) {
        if (server != null) {
            server.stop();
        }
    }
}
