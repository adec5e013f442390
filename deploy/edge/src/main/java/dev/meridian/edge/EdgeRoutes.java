package dev.meridian.edge;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.meridian.common.api.ErrorResponse;
import dev.meridian.common.error.ErrorType;
import dev.meridian.common.error.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.proxy.handler.ProxyHandler;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;

/**
 * Routes each API prefix to the service that owns it with Vert.x's reverse proxy. Bodies stream
 * through unbuffered; a service's replicas are taken in turn ({@link Replicas}). Every request leaves
 * with an {@code x-request-id}; an upstream that cannot be reached becomes a 503 envelope rather than
 * a bare 502. Paths no service owns go on to Quarkus's HTTP server ({@link EdgeServer}), whose REST layer answers
 * with the usual {@code Invalid URL} envelope.
 */
@ApplicationScoped
public class EdgeRoutes {

    private static final Logger LOG = Logger.getLogger(EdgeRoutes.class);

    @Inject
    EdgeConfig config;

    /** Adds a route per prefix to the edge's router ({@link EdgeServer}), after common's error routes. */
    void installOn(Router router, Vertx vertx) {
        for (Map.Entry<String, EdgeConfig.Upstream> route : config.routes().entrySet()) {
            String name = route.getKey();
            EdgeConfig.Upstream upstream = route.getValue();
            HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                    .setKeepAlive(true)
                    .setMaxPoolSize(config.maxConnectionsPerUpstream())
                    .setConnectTimeout(5_000)
                    .setIdleTimeout((int) config.timeout().toSeconds())
                    .setReadIdleTimeout((int) config.timeout().toSeconds()));
            HttpProxy proxy = HttpProxy.reverseProxy(client)
                    .origin(new Replicas(name, upstream.url(), config.ejectFor().toNanos(), System::nanoTime))
                    .addInterceptor(new Interceptor(name));
            ProxyHandler handler = ProxyHandler.create(proxy);
            for (String path : upstream.paths()) {
                router.route(path).handler(handler);
                router.route(path + "/*").handler(handler);
                LOG.infof("Routing %s to %s (%s)", path, upstream.url(), name);
            }
        }
    }

    /** Adds an {@code x-request-id} where the client sent none; an upstream that cannot be reached becomes a 503. */
    static final class Interceptor implements ProxyInterceptor {

        private final String service;

        Interceptor(String service) {
            this.service = service;
        }

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            String requestId = context.request().headers().get(RequestIds.HEADER);
            if (requestId == null || requestId.isBlank()) {
                context.request().putHeader(RequestIds.HEADER, "req_" + UUID.randomUUID().toString().replace("-", ""));
            }
            return context.sendRequest().recover(failure -> {
                LOG.warnf("Upstream %s unreachable for %s %s: %s", service, context.request().getMethod(),
                        context.request().getURI(), failure.getMessage());
                ProxyResponse response = context.request().response()
                        .setStatusCode(503)
                        .setStatusMessage("Service Unavailable");
                response.headers().clear();
                response.putHeader("content-type", "application/json");
                response.putHeader("retry-after", "1");
                response.putHeader(RequestIds.HEADER, context.request().headers().get(RequestIds.HEADER));
                response.setBody(Body.body(Buffer.buffer(Json.encode(ErrorResponse.of(
                        "The " + service + " service is temporarily unavailable. Please retry your request shortly.",
                        ErrorType.SERVER, null, null)))));
                return Future.succeededFuture(response);
            });
        }
    }
}
