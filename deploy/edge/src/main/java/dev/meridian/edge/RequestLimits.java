package dev.meridian.edge;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.meridian.common.api.ErrorResponse;
import dev.meridian.common.error.ErrorType;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Over-long request lines and over-large headers answered with OpenAI's envelope (414, 431), not the bare answers
 * Vert.x gives before any handler runs. Vert.x's own limits on the edge are set far above these
 * ({@code quarkus.http.limits.*} in application.properties), so that requests between the two reach this handler;
 * only what is over Vert.x's limits still gets its bare answer (docs/reliability.md). The connection stays open.
 */
@ApplicationScoped
public class RequestLimits {

    /** Before the routes to the services. */
    private static final int ORDER = -2_000;
    /** The version in a request line, with the spaces around the URL: {@code " " + uri + " HTTP/1.1"}. */
    private static final int LINE_OVERHEAD = 10;

    @Inject
    EdgeConfig config;

    void install(@Observes Router router) {
        int maxLine = config.maxRequestLine();
        int maxHeaders = config.maxHeaders();
        router.route().order(ORDER).handler(context -> {
            HttpServerRequest request = context.request();
            int line = request.method().name().length() + request.uri().length() + LINE_OVERHEAD;
            if (line > maxLine) {
                refuse(context, 414, "The request line is " + line + " bytes long; the limit is " + maxLine
                        + " bytes. Send long inputs in the request body.");
                return;
            }
            int headers = 0;
            for (Map.Entry<String, String> header : request.headers()) {
                headers += header.getKey().length() + header.getValue().length() + 4; // ": " and CRLF
            }
            if (headers > maxHeaders) {
                refuse(context, 431, "The request headers are " + headers + " bytes; the limit is " + maxHeaders
                        + " bytes.");
                return;
            }
            context.next();
        });
    }

    private static void refuse(RoutingContext context, int status, String message) {
        context.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(Json.encode(ErrorResponse.of(message, ErrorType.INVALID_REQUEST, null, null)));
    }
}
