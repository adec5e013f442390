package dev.meridian.common.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The ranges of the upstream's settings ({@link dev.meridian.common.config.Ranges}), checked as SmallRye Config maps a
 * service's configuration that extends {@link UpstreamConfig}, as Quarkus does at start-up.
 */
class UpstreamConfigTest {

    @ConfigMapping(prefix = "meridian.test.upstream")
    interface TestUpstream extends UpstreamConfig {
    }

    @Test
    void theDefaultsAndValuesInRangeAreRead() {
        TestUpstream defaults = load(Map.of());
        assertEquals(Duration.ofSeconds(5), defaults.connectTimeout());
        assertEquals(Duration.ofSeconds(60), defaults.readTimeout());
        assertEquals(2, defaults.maxRetries());
        assertEquals(Duration.ofMillis(250), defaults.retryDelay());
        assertEquals(10, defaults.breaker().requestVolume());
        assertEquals(0.5, defaults.breaker().failureRatio());
        assertEquals(Duration.ofSeconds(10), defaults.breaker().delay());

        TestUpstream edges = load(Map.of("meridian.test.upstream.max-retries", "0",
                "meridian.test.upstream.retry-delay", "0S", "meridian.test.upstream.breaker.request-volume", "1",
                "meridian.test.upstream.breaker.failure-ratio", "1", "meridian.test.upstream.breaker.delay", "0S",
                "meridian.test.upstream.read-timeout", "1MS"));
        assertEquals(0, edges.maxRetries());
        assertEquals(Duration.ZERO, edges.retryDelay());
        assertEquals(1, edges.breaker().requestVolume());
        assertEquals(1.0, edges.breaker().failureRatio());
        assertEquals(Duration.ZERO, edges.breaker().delay());
        assertEquals(Duration.ofMillis(1), edges.readTimeout());
    }

    @Test
    void aValueOutOfRangeIsRefusedNamingItsProperty() {
        record Case(String property, String value, String why) {
        }
        for (Case c : List.of(
                new Case("connect-timeout", "0S", "it must be longer than 0"),
                new Case("read-timeout", "-5S", "it must be longer than 0"),
                new Case("max-retries", "-1", "it must be at least 0"),
                new Case("retry-delay", "-1S", "it must not be negative"),
                new Case("breaker.request-volume", "0", "it must be at least 1"),
                new Case("breaker.failure-ratio", "1.5", "it must be between 0 and 1"),
                new Case("breaker.failure-ratio", "-0.1", "it must be between 0 and 1"),
                new Case("breaker.delay", "-10S", "it must not be negative"))) {
            String property = "meridian.test.upstream." + c.property();
            ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                    () -> load(Map.of(property, c.value())), property);
            assertEquals(1, refused.getProblemCount(), property);
            assertEquals("java.lang.IllegalArgumentException: SRCFG00039: The config property " + property
                    + " with the config value \"" + c.value() + "\" threw an Exception whilst being converted (" + c.why()
                    + ")", refused.getProblem(0).getMessage());
        }
    }

    private static TestUpstream load(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(TestUpstream.class)
                .build();
        return config.getConfigMapping(TestUpstream.class);
    }
}
