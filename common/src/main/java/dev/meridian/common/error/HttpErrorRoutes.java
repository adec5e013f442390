package dev.meridian.common.error;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Bodies over {@code quarkus.http.limits.max-body-size} are refused from their declared length,
 * before any byte is read, with the same envelope as every other error (Quarkus itself would answer
 * a bare 413). Chunked bodies without a length are cut off while reading and mapped by
 * {@link ErrorMappers}.
 */
@ApplicationScoped
public class HttpErrorRoutes {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    void install(@Observes Router router) {
        if (maxBodySize.isEmpty()) {
            return;
        }
        long limit = maxBodySize.get().asLongValue();
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && exceeds(length, limit)) {
                tooLarge(context);
            } else {
                context.next();
            }
        });
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
