package dev.meridian.common.error;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.meridian.common.api.ErrorResponse;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Errors answered before any REST resource runs, with the same envelope as every other error (Vert.x and Quarkus would
 * answer bare statuses): bodies over {@code quarkus.http.limits.max-body-size} are refused from their declared length,
 * before any byte is read (chunked bodies without a length are cut off while reading and mapped by
 * {@link ErrorMappers}); request lines and headers over Meridian's limits; URLs with a NUL character; URIs that cannot
 * be parsed (a broken percent-escape such as {@code /v1/models/%}), which Quarkus would refuse with a bare 400
 * ({@link dev.meridian.common.MeridianMain}).
 */
@ApplicationScoped
public class HttpErrorRoutes {

    /** The version in a request line, with the spaces around the URL: {@code " " + uri + " HTTP/1.1"}. */
    private static final int LINE_OVERHEAD = 10;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    /** Longest request line answered normally; longer ones get a 414 envelope. */
    @ConfigProperty(name = "meridian.http.max-request-line", defaultValue = "4096")
    int maxRequestLine;

    /** Most bytes of request headers answered normally; more get a 431 envelope. */
    @ConfigProperty(name = "meridian.http.max-headers", defaultValue = "20480")
    int maxHeaders;

    void install(@Observes Router router) {
        installOn(router);
    }

    /**
     * Adds the checks to a router of one's own (the edge's public server); Quarkus's router gets them by observing it.
     */
    public void installOn(Router router) {
        long limit = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        // a router that cannot match a malformed path fails it with 400 before any route runs: the same envelope
        router.errorHandler(400, context -> {
            if (!context.response().ended() && !context.response().headWritten()) {
                String reason = malformed(context.request().uri());
                send(context, 400, ErrorResponse.of(invalidUrl(context) + (reason == null ? "." : ": " + reason),
                        ErrorType.INVALID_REQUEST, null, null));
            }
        });
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            if (oversized(context)) {
                return;
            }
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            String malformed = malformed(context.request().uri());
            if (malformed != null) {
                send(context, 400, ErrorResponse.of(invalidUrl(context) + ": " + malformed, ErrorType.INVALID_REQUEST,
                        null, null));
            } else if (length != null && exceeds(length, limit)) {
                tooLarge(context);
            } else if (!refusedNul(context)) {
                context.next();
            }
        });
    }

    /**
     * A NUL character ({@code %00}) can name nothing Meridian stores (PostgreSQL text cannot hold it): in the path the
     * URL is unknown (404), in a query parameter the parameter is invalid (400, naming it).
     */
    private static boolean refusedNul(RoutingContext context) {
        String path = context.request().path();
        if (path != null && path.contains("%00")) {
            send(context, 404, ErrorResponse.of("Invalid URL (" + context.request().method().name() + " " + path + ")",
                    ErrorType.INVALID_REQUEST, null, null));
            return true;
        }
        String query = context.request().query();
        if (query != null && query.contains("%00")) {
            for (String pair : query.split("&")) {
                if (pair.contains("%00")) {
                    int equals = pair.indexOf('=');
                    String param = java.net.URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals),
                            java.nio.charset.StandardCharsets.UTF_8);
                    send(context, 400, ErrorResponse.of("Invalid value for '" + param + "': it contains a NUL character.",
                            ErrorType.INVALID_REQUEST, param, null));
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A request line or headers over Meridian's limits, refused with an envelope (414, 431) and the connection kept
     * open. Vert.x's own limits ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}) are set
     * far above these (64 KB) so that such requests reach this handler; only what is over Vert.x's limits gets its bare
     * answer, before any handler runs (docs/reliability.md).
     */
    private boolean oversized(RoutingContext context) {
        int line = context.request().method().name().length() + context.request().uri().length() + LINE_OVERHEAD;
        if (line > maxRequestLine) {
            send(context, 414, ErrorResponse.of("The request line is " + line + " bytes long; the limit is "
                    + maxRequestLine + " bytes. Send long inputs in the request body.", ErrorType.INVALID_REQUEST, null,
                    null));
            return true;
        }
        int headers = 0;
        for (java.util.Map.Entry<String, String> header : context.request().headers()) {
            headers += header.getKey().length() + header.getValue().length() + 4; // ": " and CRLF
        }
        if (headers > maxHeaders) {
            send(context, 431, ErrorResponse.of("The request headers are " + headers + " bytes; the limit is "
                    + maxHeaders + " bytes.", ErrorType.INVALID_REQUEST, null, null));
            return true;
        }
        return false;
    }

    /** Why a URI cannot be read: {@link URI}'s own check, which Quarkus makes when it is not turned off. */
    static String malformed(String uri) {
        try {
            new URI(uri);
            return null;
        } catch (URISyntaxException e) {
            return e.getReason().toLowerCase(Locale.ROOT) + " at index " + e.getIndex() + ".";
        }
    }

    private static String invalidUrl(RoutingContext context) {
        return "Invalid URL (" + context.request().method().name() + " " + context.request().uri() + ")";
    }

    private static void send(RoutingContext context, int status, ErrorResponse body) {
        context.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Json.encode(body));
    }

    private static boolean exceeds(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static void tooLarge(RoutingContext context) {
        context.response()
                .setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Json.encode(ErrorMappers.TOO_LARGE));
    }
}
