package dev.meridian.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** {@code meridian.catalog.*} as SmallRye Config maps it at a service's start-up. */
class CatalogConfigTest {

    @Test
    void staleIfErrorDefaultsToTenMinutesAndZeroTurnsItOff() {
        assertEquals(Duration.ofMinutes(10), load(Map.of()).staleIfError());
        assertEquals(Duration.ZERO, load(Map.of("meridian.catalog.stale-if-error", "0S")).staleIfError());
        assertEquals(Duration.ofSeconds(90), load(Map.of("meridian.catalog.stale-if-error", "90S")).staleIfError());
    }

    @Test
    void aNegativeStaleIfErrorStopsTheStartNamingTheProperty() {
        ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                () -> load(Map.of("meridian.catalog.stale-if-error", "-1M")));
        assertEquals(1, refused.getProblemCount());
        assertEquals("java.lang.IllegalArgumentException: SRCFG00039: The config property meridian.catalog.stale-if-error"
                + " with the config value \"-1M\" threw an Exception whilst being converted (it must not be negative)",
                refused.getProblem(0).getMessage());
    }

    private static CatalogConfig load(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(CatalogConfig.class)
                .build();
        return config.getConfigMapping(CatalogConfig.class);
    }
}
