package dev.meridian.moderation.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;


import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The ranges of {@code meridian.moderation.*} ({@link dev.meridian.common.config.Ranges}, {@link BatchTokens}), checked as Quarkus maps the configuration at start-up: over
 * the service's own application.properties, with one property overridden.
 */
public class ModerationConfigTest {

    @Test
    void theShippedConfigurationIsValid() throws IOException {
        ModerationConfig config = load(Map.of());
        assertEquals(8, config.builtin().embedding().batchSize());
        assertEquals(1024, config.builtin().embedding().batchMaxTokens());
    }

    @Test
    void aValueOutOfRangeIsRefusedNamingItsProperty() {
        record Case(String property, String value, String least) {
        }
        for (Case c : List.of(
                new Case("meridian.moderation.builtin.embedding.batch-max-tokens", "100", "512"),
                new Case("meridian.moderation.builtin.embedding.batch-size", "0", "1"),
                new Case("meridian.moderation.builtin.embedding.batch-workers", "0", "1"),
                new Case("meridian.moderation.builtin.embedding.threads", "-1", "1"),
                new Case("meridian.moderation.builtin.embedding.escalation", "-0.5", "0"),
                new Case("meridian.moderation.limits.max-items", "0", "1"),
                new Case("meridian.moderation.images.max-bytes", "0", "1"))) {
            ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                    () -> load(Map.of(c.property(), c.value())), c.property());
            assertEquals(1, refused.getProblemCount(), c.property());
            assertEquals("java.lang.IllegalArgumentException: SRCFG00039: The config property " + c.property()
                    + " with the config value \"" + c.value() + "\" threw an Exception whilst being converted (it must be"
                    + " at least " + c.least() + ")", refused.getProblem(0).getMessage());
        }
    }

    public static ModerationConfig load(Map<String, String> overrides) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(ModerationConfigTest.class.getResource("/application.properties"),
                        250))
                .withSources(new PropertiesConfigSource(overrides, "overrides", 500))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(ModerationConfig.class)
                .build();
        return config.getConfigMapping(ModerationConfig.class);
    }
}
