package dev.meridian.edge;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

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
import io.vertx.core.http.StreamResetException;
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

    /** Each service's replicas, shared by the routers of all event loops: one turn and one sitting out per service. */
    private final Map<String, Replicas> replicas = new ConcurrentHashMap<>();

    /**
     * Adds a route per prefix to one event loop's router ({@link EdgeServer}), after common's error routes, with HTTP
     * clients of its own; call it on that loop.
     */
    void installOn(Router router, Vertx vertx) {
        for (Map.Entry<String, EdgeConfig.Upstream> route : config.routes().entrySet()) {
            String name = route.getKey();
            EdgeConfig.Upstream upstream = route.getValue();
            Replicas origin = replicas.computeIfAbsent(name, service -> {
                LOG.infof("Routing %s to %s (%s)", upstream.paths(), upstream.url(), service);
                return new Replicas(service, upstream.url(), config.ejectFor().toNanos(), config.timeout().toMillis(),
                        System::nanoTime);
            });
            HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                    .setKeepAlive(true)
                    .setMaxPoolSize(config.maxConnectionsPerUpstream())
                    .setConnectTimeout(5_000)
                    // a pooled connection outlives the longest exchange; the exchange's own timeout is per request
                    .setIdleTimeout((int) config.timeout().toSeconds() + 5));
            HttpProxy proxy = HttpProxy.reverseProxy(client)
                    .origin(origin)
                    .addInterceptor(new Interceptor(name, config.timeout()));
            ProxyHandler handler = ProxyHandler.create(proxy);
            for (String path : upstream.paths()) {
                router.route(path).handler(handler);
                router.route(path + "/*").handler(handler);
            }
        }
    }

    /**
     * Adds an {@code x-request-id} where the client sent none. An upstream that cannot be reached becomes a 503
     * envelope, one that takes the request and stays silent for the edge's timeout a 504; both with
     * {@code retry-after: 1}. A client that hangs up cancels its exchange with the service; that is no failure of the
     * service, so it is not reported as one.
     */
    static final class Interceptor implements ProxyInterceptor {

        private final String service;
        private final Duration timeout;

        Interceptor(String service, Duration timeout) {
            this.service = service;
            this.timeout = timeout;
        }

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            String requestId = context.request().headers().get(RequestIds.HEADER);
            if (requestId == null || requestId.isBlank()) {
                context.request().putHeader(RequestIds.HEADER, "req_" + UUID.randomUUID().toString().replace("-", ""));
            }
            return context.sendRequest().recover(failure -> {
                if (clientLeft(context, failure)) {
                    // the client hung up first, and the proxy reset the exchange with the service: the service is
                    // fine, and there is no one left to answer
                    LOG.debugf("The client of %s %s left before %s answered", context.request().getMethod(),
                            context.request().getURI(), service);
                    return Future.failedFuture(failure);
                }
                boolean silent = failure instanceof TimeoutException;
                LOG.warnf("Upstream %s %s for %s %s: %s", service, silent ? "silent" : "unreachable",
                        context.request().getMethod(), context.request().getURI(), failure.getMessage());
                ProxyResponse response = context.request().response()
                        .setStatusCode(silent ? 504 : 503)
                        .setStatusMessage(silent ? "Gateway Timeout" : "Service Unavailable");
                response.headers().clear();
                response.putHeader("content-type", "application/json");
                response.putHeader("retry-after", "1");
                response.putHeader(RequestIds.HEADER, context.request().headers().get(RequestIds.HEADER));
                String message = silent
                        ? "The " + service + " service did not answer within " + timeout.toSeconds() + " seconds."
                        : "The " + service + " service is temporarily unavailable.";
                response.setBody(Body.body(Buffer.buffer(Json.encode(ErrorResponse.of(
                        message + " Please retry your request shortly.", ErrorType.SERVER, null, null)))));
                return Future.succeededFuture(response);
            });
        }

        /**
         * Whether the exchange failed because the client went away. The proxy resets the exchange with the service in
         * two cases: the client's connection failed (the reset carries that failure as its cause), or relaying the
         * request's body to the service failed (a reset without a cause), which is what a service that dies under an
         * upload looks like; that client is still there, owed an envelope rather than the bare 502 that a failure
         * passed on here becomes.
         */
        private static boolean clientLeft(ProxyContext context, Throwable failure) {
            return context.request().proxiedRequest().response().closed()
                    || failure instanceof StreamResetException reset && reset.getCause() != null;
        }
    }
}
