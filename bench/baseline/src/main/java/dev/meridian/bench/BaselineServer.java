package dev.meridian.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * What this machine can serve with nothing but Vert.x: every request's bearer token RS256-verified against the
 * realm's keys (issuer, expiry and an {@code org_id} claim checked, as the services check them), then a fixed JSON
 * body written. bench/hotpaths.sh compares the platform's hot paths with it.
 *
 * <pre>java -cp bench-baseline.jar:lib/* dev.meridian.bench.BaselineServer PORT JWKS_FILE ISSUER BODY_FILE</pre>
 */
public final class BaselineServer extends AbstractVerticle {

    private static final Buffer UNAUTHORIZED = Buffer.buffer("{\"error\":{\"message\":\"Invalid token.\","
            + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}");

    private final int port;
    private final JwtConsumer tokens;
    private final Buffer body;

    private BaselineServer(int port, JsonWebKeySet keys, String issuer, Buffer body) {
        this.port = port;
        this.tokens = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys.getJsonWebKeys()))
                .setExpectedIssuer(issuer)
                .setRequireExpirationTime()
                .setSkipDefaultAudienceValidation()
                .build();
        this.body = body;
    }

    @Override
    public void start(Promise<Void> started) {
        vertx.createHttpServer().requestHandler(this::handle).listen(port).<Void>mapEmpty().onComplete(started);
    }

    private void handle(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || !verified(authorization.substring(7))) {
            request.response().setStatusCode(401).putHeader("content-type", "application/json").end(UNAUTHORIZED);
            return;
        }
        request.response().putHeader("content-type", "application/json").end(body);
    }

    private boolean verified(String token) {
        try {
            JwtClaims claims = tokens.processToClaims(token);
            Object org = claims.getClaimValue("org_id");
            return org != null && !org.toString().isBlank();
        } catch (InvalidJwtException e) {
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        JsonWebKeySet keys = new JsonWebKeySet(Files.readString(Path.of(args[1])));
        String issuer = args[2];
        Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(args[3])));
        Vertx vertx = Vertx.vertx();
        int loops = Runtime.getRuntime().availableProcessors();
        vertx.deployVerticle(() -> new BaselineServer(port, keys, issuer, body), new DeploymentOptions().setInstances(loops))
                .toCompletionStage().toCompletableFuture().join();
        System.out.println("baseline listening on " + port + " with " + loops + " event loops");
    }
}
