package dev.meridian.edge;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;

/**
 * The replicas of one service, taken in turn. A replica that refuses a connection sits out for {@code ejectFor}
 * and the request tries the next one: nothing was sent yet, so this is safe for every method, POST included. A pooled
 * connection that turns out closed as it is handed out (a request reset on it a moment before) is no refusal: the
 * request takes another connection to the same replica.
 * A replica that dies while a request is in flight cannot be retried safely; that request gets the edge's 503
 * envelope. When every replica sits out, they are all tried again, so a service that comes back is found at once.
 */
final class Replicas implements OriginRequestProvider {

    private static final Logger LOG = Logger.getLogger(Replicas.class);
    /** The message of Vert.x's exception for a connection closed under a request. */
    private static final String CONNECTION_CLOSED = "Connection was closed";
    /** How many closed connections in a row a request may be handed before the replica counts as refusing. */
    private static final int MAX_CLOSED_RETRIES = 2;

    private final String service;
    private final List<SocketAddress> addresses;
    private final AtomicLongArray outUntil;
    private final AtomicInteger next = new AtomicInteger();
    private final long ejectForNanos;
    private final long timeoutMillis;
    private final LongSupplier clock;

    /**
     * @param timeoutMillis how long an exchange may go without a byte from the replica: the request then fails with a
     *        {@link java.util.concurrent.TimeoutException}, which the edge answers with a 504
     */
    Replicas(String service, List<URI> urls, long ejectForNanos, long timeoutMillis, LongSupplier clock) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("meridian.edge.routes." + service + ".url names no replica");
        }
        this.service = service;
        this.addresses = urls.stream()
                .map(url -> SocketAddress.inetSocketAddress(url.getPort() > 0 ? url.getPort() : 80, url.getHost()))
                .toList();
        this.outUntil = new AtomicLongArray(addresses.size());
        this.ejectForNanos = ejectForNanos;
        this.timeoutMillis = timeoutMillis;
        this.clock = clock;
    }

    @Override
    public Future<HttpClientRequest> create(ProxyContext context) {
        int size = addresses.size();
        int first = Math.floorMod(next.getAndIncrement(), size);
        long now = clock.getAsLong();
        int[] order = new int[size];
        int in = 0;
        int out = size;
        for (int i = 0; i < size; i++) {
            int index = (first + i) % size;
            if (now - outUntil.get(index) < 0) {
                order[--out] = index;
            } else {
                order[in++] = index;
            }
        }
        return connect(context, order, 0);
    }

    /** Replicas in turn, those sitting out last; each one that refuses sits out and the next is tried. */
    private Future<HttpClientRequest> connect(ProxyContext context, int[] order, int position) {
        return connect(context, order, position, 0);
    }

    private Future<HttpClientRequest> connect(ProxyContext context, int[] order, int position, int closedBefore) {
        int index = order[position];
        SocketAddress address = addresses.get(index);
        return context.client().request(new RequestOptions().setServer(address).setIdleTimeout(timeoutMillis)).recover(failure -> {
            if (closedAsHandedOut(failure) && closedBefore < MAX_CLOSED_RETRIES) {
                // A pooled connection that closed as it was handed out: an exchange was reset on it a moment before
                // (its client hung up). Nothing of this request was sent and the replica is up: take another one.
                LOG.debugf("A connection to replica %s of %s closed as it was handed out; taking another", address,
                        service);
                return connect(context, order, position, closedBefore + 1);
            }
            long now = clock.getAsLong();
            if (now - outUntil.getAndSet(index, now + ejectForNanos) >= 0) {
                LOG.warnf("Replica %s of %s refused a connection (%s); it sits out for %d ms", address, service,
                        failure.getMessage(), ejectForNanos / 1_000_000);
            }
            return position + 1 < order.length ? connect(context, order, position + 1) : Future.failedFuture(failure);
        });
    }

    /** Vert.x's failure for a connection that was closed under a request it had not yet sent. */
    static boolean closedAsHandedOut(Throwable failure) {
        return failure instanceof HttpClosedException
                || failure instanceof VertxException && CONNECTION_CLOSED.equals(failure.getMessage());
    }
}
