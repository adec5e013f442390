package dev.meridian.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "meridian.outbox")
public interface OutboxConfig {

    /** Most events relayed per transaction. */
    @WithDefault("100")
    int batchSize();

    /** How long the relay waits for Kafka to acknowledge a batch before it tries again later. */
    @WithDefault("20s")
    Duration sendTimeout();

    /** Published events are kept this long (for inspection and replay), then purged. */
    @WithDefault("P7D")
    Duration retention();
}
