package dev.meridian.assistants.config;

import java.time.Duration;

import dev.meridian.common.config.Ranges;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/** How runs are executed: leases, expiry, concurrency. */
@ConfigMapping(prefix = "meridian.assistants.runs")
public interface RunsConfig {

    /**
     * The completion tokens a run without {@code max_completion_tokens} is charged against its project's tokens-a-minute
     * limit when it is created (settled with the model server's usage when each turn ends).
     */
    @WithDefault("256")
    int rateLimitCompletionAllowance();

    /** A run waiting for tool outputs (or still queued) this long after its creation expires. */
    @WithDefault("10M")
    Duration expiresAfter();

    /**
     * How long a replica's claim on an executing run lasts without renewal. A run whose replica died is
     * failed (or, if still queued, taken over) within this plus one {@link #sweepInterval()}.
     */
    @WithDefault("15S")
    Duration lease();

    /** How often a replica renews its leases and notices runs cancelled through another replica. */
    @WithDefault("1S")
    Duration heartbeat();

    /** How often a replica looks for orphaned, lapsed and expired runs. */
    @WithDefault("2S")
    Duration sweepInterval();

    /** Runs one replica executes at once; more wait queued for any replica with room. */
    @WithDefault("512")
    int maxConcurrent();

    /**
     * Tries at storing what became of an executing run (its completion, failure or cancellation) while the database
     * cannot be reached, 100 ms apart and then twice as long each time (5: about 1.5 s). Past them the replica lets go
     * of the run, and a sweep settles it once the database answers.
     */
    @WithDefault("5")
    @WithConverter(Ranges.Positive.class)
    int outcomeAttempts();

    /** Idle time after which a streaming client is sent an SSE comment, so proxies keep the connection. */
    @WithDefault("15S")
    Duration keepAlive();
}
