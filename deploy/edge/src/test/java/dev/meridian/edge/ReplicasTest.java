package dev.meridian.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.RequestOptions;
import io.vertx.httpproxy.ProxyContext;

/**
 * How {@link Replicas} picks a connection: the Vert.x client is scripted (each {@code request} answers the next
 * scripted outcome and records the replica asked), so the order of replicas and the failures are exact.
 */
class ReplicasTest {

    private final List<Integer> asked = new ArrayList<>();
    private final Deque<Throwable> failures = new ArrayDeque<>();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final Replicas replicas = new Replicas("models", List.of(URI.create("http://127.0.0.1:1001"),
            URI.create("http://127.0.0.1:1002")), 5_000_000_000L, 3_000, clock::get);

    /** A proxy context whose client answers each request with the next scripted failure, or a request. */
    private ProxyContext context() {
        HttpClient client = (HttpClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { HttpClient.class },
                (proxy, method, args) -> {
                    if (!method.getName().equals("request") || args.length != 1 || !(args[0] instanceof RequestOptions)) {
                        throw new UnsupportedOperationException(method.toString());
                    }
                    asked.add(((RequestOptions) args[0]).getServer().port());
                    Throwable failure = failures.poll();
                    return failure == null ? Future.succeededFuture((HttpClientRequest) null) : Future.failedFuture(failure);
                });
        return (ProxyContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { ProxyContext.class },
                (proxy, method, args) -> {
                    if (!method.getName().equals("client")) {
                        throw new UnsupportedOperationException(method.toString());
                    }
                    return client;
                });
    }

    @Test
    void aConnectionClosedAsItIsHandedOutIsReplacedOnTheSameReplica() {
        failures.add(new HttpClosedException("Connection was closed"));
        Future<HttpClientRequest> request = replicas.create(context());
        assertTrue(request.succeeded());
        assertEquals(List.of(1001, 1001), asked);
        // the replica did not sit out: the turns go on 1002, 1001
        replicas.create(context());
        replicas.create(context());
        assertEquals(List.of(1001, 1001, 1002, 1001), asked);
    }

    @Test
    void aReplicaWhoseConnectionsKeepClosingCountsAsRefusing() {
        for (int i = 0; i < 3; i++) {
            failures.add(new HttpClosedException("Connection was closed"));
        }
        assertTrue(replicas.create(context()).succeeded());
        // three closed connections on 1001 (the first and two more), then 1002
        assertEquals(List.of(1001, 1001, 1001, 1002), asked);
        // 1001 sits out now: the next turn, which is 1002's, and the one after both go to 1002 first
        replicas.create(context());
        replicas.create(context());
        assertEquals(List.of(1001, 1001, 1001, 1002, 1002, 1002), asked);
    }

    @Test
    void aRefusedConnectionMovesToTheNextReplicaWhichSitsOutTheRefuserForItsTime() {
        failures.add(new ConnectException("Connection refused"));
        assertTrue(replicas.create(context()).succeeded());
        assertEquals(List.of(1001, 1002), asked);
        replicas.create(context());
        replicas.create(context());
        assertEquals(List.of(1001, 1002, 1002, 1002), asked);
        // once its time is over, 1001 takes its turns again
        clock.addAndGet(5_000_000_000L);
        replicas.create(context());
        replicas.create(context());
        assertEquals(List.of(1001, 1002, 1002, 1002, 1002, 1001), asked);
    }
}
