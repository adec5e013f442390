package dev.meridian.edge;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.meridian.common.api.ErrorResponse;
import dev.meridian.common.error.ErrorType;
import dev.meridian.common.error.HttpErrorRoutes;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.proxy.handler.ProxyHandler;
import io.vertx.httpproxy.HttpProxy;

/**
 * The edge's public port: a Vert.x HTTP server of its own rather than Quarkus's, because only a server of one's own
 * can replace the answers Vert.x's codec gives before any route runs (a request line or headers over the codec's
 * limits, bytes that are not HTTP) with OpenAI's envelope (quarkusio/quarkus#55082). Its router holds common's
 * {@link HttpErrorRoutes} and the {@link EdgeRoutes}; whatever no service owns ({@code /q/health}, unknown paths and
 * their 404 envelope) goes on to Quarkus's own HTTP server on {@code quarkus.http.port}, a loopback port.
 */
@ApplicationScoped
public class EdgeServer {

    private static final Logger LOG = Logger.getLogger(EdgeServer.class);

    @Inject
    EdgeConfig config;

    @Inject
    EdgeRoutes routes;

    @Inject
    HttpErrorRoutes errors;

    private volatile String deployment;
    private volatile int port;

    void start(@Observes StartupEvent event, Vertx vertx) throws Exception {
        EdgeConfig.Server server = config.server();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(server.host())
                .setPort(server.port())
                .setMaxInitialLineLength(server.maxRequestLine())
                .setMaxHeaderSize(server.maxHeaders())
                .setIdleTimeout((int) server.idleTimeout().toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        // one server per event loop, all on the one port (Vert.x shares a free port chosen for 0 among them too)
        port = listen(vertx, options, server.instances());
        LOG.infof("Edge listening on http://%s:%d (%d event loops)", server.host(), port, server.instances());
    }

    /**
     * The router of one event loop's server, with HTTP clients of its own: a client's pooled connections then all
     * live on the loop whose requests use them, so relaying a request and its answer never hands work to another
     * thread (with one client for all loops, a request on one loop took connections made on another, and every
     * write and read crossed threads through a wake-up of the other loop).
     */
    private Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        errors.installOn(router);
        routes.installOn(router, vertx);
        // before Quarkus's server listens (the edge's starts first), a health probe gets the 503 envelope
        HttpProxy quarkus = HttpProxy.reverseProxy(vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)))
                .originSelector(request -> Future.succeededFuture(
                        SocketAddress.inetSocketAddress(quarkusPort(), "127.0.0.1")))
                .addInterceptor(new EdgeRoutes.Interceptor("edge", config.timeout()));
        router.route().handler(ProxyHandler.create(quarkus));
        return router;
    }

    void stop(@Observes ShutdownEvent event, Vertx vertx) {
        if (deployment != null) {
            vertx.undeploy(deployment);
        }
    }

    /** The public port, as bound (the configured one, or the free one chosen when 0 is configured). */
    public int port() {
        return port;
    }

    private int listen(Vertx vertx, HttpServerOptions options, int instances) throws Exception {
        int[] bound = new int[1];
        String id = vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer(options)
                        .requestHandler(router(vertx))
                        .invalidRequestHandler(EdgeServer.this::invalid)
                        .listen()
                        .onSuccess(s -> bound[0] = s.actualPort())
                        .<Void>mapEmpty()
                        .onComplete(started);
            }
        }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture()
                .get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
        deployment = id;
        return bound[0];
    }

    /**
     * What Vert.x's codec could not read, as an envelope instead of its bare status: a request line or headers over
     * the server's limits (414, 431), or bytes that are not HTTP (400). The connection closes afterwards, since what
     * follows on it cannot be framed.
     */
    void invalid(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        int status;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            message = "The request line is over " + config.server().maxRequestLine()
                    + " bytes, the most the edge reads. Send long inputs in the request body.";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            message = "The request headers are over " + config.server().maxHeaders() + " bytes, the most the edge reads.";
        } else {
            status = 400;
            message = "The request could not be read as HTTP/1.1"
                    + (cause == null || cause.getMessage() == null ? "." : ": " + cause.getMessage() + ".");
        }
        request.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Json.encode(ErrorResponse.of(message, ErrorType.INVALID_REQUEST, null, null)))
                .onComplete(ended -> request.connection().close());
    }

    private static int quarkusPort() {
        return ConfigProvider.getConfig().getValue("quarkus.http.port", Integer.class);
    }
}
