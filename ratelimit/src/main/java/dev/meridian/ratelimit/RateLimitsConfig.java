package dev.meridian.ratelimit;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code meridian.rate-limits.*}: how a service enforces the projects' limits. */
@ConfigMapping(prefix = "meridian.rate-limits")
public interface RateLimitsConfig {

    /** Off: nothing is counted or refused and no rate-limit header is sent. */
    @WithDefault("true")
    boolean enabled();

    /**
     * The share of a limit a replica may admit on its own before it settles with the shared bucket in PostgreSQL (in
     * the background: requests do not wait for it). 0.02 means: with a limit of 10,000 a minute a replica settles once
     * per 200 requests, and all replicas together admit about 2% per replica beyond the limit; a limit under 50 is
     * settled at every request and exact.
     */
    @WithDefault("0.02")
    double unsynchronizedShare();

    /** The longest a replica keeps what it admitted on its own before settling. */
    @WithDefault("500MS")
    Duration unsynchronizedTime();

    /** Threads that settle the replica's buckets with PostgreSQL. */
    @WithDefault("1")
    int syncThreads();

    /** How long a project's limits are kept without asking admin-service again (changes arrive as events sooner). */
    @WithDefault("10M")
    Duration limitsTtl();
}
