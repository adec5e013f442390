package dev.meridian.edge;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "meridian.edge")
public interface EdgeConfig {

    /** Upstream services by name, each with the path prefixes it serves. */
    Map<String, Upstream> routes();

    /** Longest wait for an upstream to answer (image generation through a slow upstream engine can take a while). */
    @WithDefault("120s")
    Duration timeout();

    /** The most connections to one service from each event loop's server (each has a pool of its own). */
    @WithDefault("32")
    int maxConnectionsPerUpstream();

    /** How long a replica that refused a connection is tried only after the others. */
    @WithDefault("5s")
    Duration ejectFor();

    /** The public port's server ({@link EdgeServer}); Quarkus's own HTTP server keeps a loopback port behind it. */
    Server server();

    interface Server {
        @WithDefault("127.0.0.1")
        String host();

        /** The API's one address; 0 takes a free port. */
        @WithDefault("8080")
        int port();

        /** One server per event loop. */
        @WithDefault("2")
        int instances();

        /**
         * The longest request line the codec reads; longer ones get a 414 envelope from the codec's hook. Shorter ones
         * over {@code meridian.http.max-request-line} get the same from common's route.
         */
        @WithDefault("65536")
        int maxRequestLine();

        /** The most bytes of headers the codec reads; more get a 431 envelope. */
        @WithDefault("65536")
        int maxHeaders();

        /** A connection silent this long is closed. */
        @WithDefault("30m")
        Duration idleTimeout();
    }

    interface Upstream {
        /** Path prefixes, e.g. {@code /v1/assistants}; the prefix and everything under it is routed. */
        List<String> paths();

        /**
         * Where the service listens, e.g. {@code http://127.0.0.1:8081}; several replicas as a comma-separated list,
         * taken in turn (see {@link Replicas}).
         */
        List<URI> url();
    }
}
