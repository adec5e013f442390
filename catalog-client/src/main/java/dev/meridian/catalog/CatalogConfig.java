package dev.meridian.catalog;

import java.time.Duration;

import dev.meridian.common.config.Ranges;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * {@code meridian.catalog.*}: how the serving services use models-service's answers. Checked at start-up: a value out
 * of its range stops the service with a message that names the property ({@link Ranges}).
 */
@ConfigMapping(prefix = "meridian.catalog")
public interface CatalogConfig {

    /**
     * While models-service cannot answer (a 5xx, no connection, the timeout, an open breaker), a model's last answer for
     * the same org and project is used for this long after it came; a model not asked about that recently gets a 503.
     * 0 turns it off.
     */
    @WithDefault("10M")
    @WithConverter(Ranges.NonNegativeDuration.class)
    Duration staleIfError();
}
