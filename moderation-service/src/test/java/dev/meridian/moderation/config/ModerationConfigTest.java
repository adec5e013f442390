package dev.meridian.moderation.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;

/**
 * The constraints of {@code meridian.moderation.*}, validated as Quarkus validates a config mapping at start-up: over
 * the service's own application.properties, with one property overridden.
 */
class ModerationConfigTest {

    private static ValidatorFactory validation;

    @BeforeAll
    static void validation() {
        validation = Validation.buildDefaultValidatorFactory();
    }

    @AfterAll
    static void close() {
        validation.close();
    }

    @Test
    void theShippedConfigurationIsValid() throws IOException {
        ModerationConfig config = load(Map.of());
        assertEquals(8, config.builtin().embedding().batchSize());
        assertEquals(1024, config.builtin().embedding().batchMaxTokens());
    }

    @Test
    void aValueOutOfRangeIsRefusedNamingItsProperty() {
        record Case(String property, String value, String message) {
        }
        for (Case c : List.of(
                new Case("meridian.moderation.builtin.embedding.batch-max-tokens", "100",
                        "must be greater than or equal to 512"),
                new Case("meridian.moderation.builtin.embedding.batch-size", "0", "must be greater than or equal to 1"),
                new Case("meridian.moderation.builtin.embedding.batch-workers", "0",
                        "must be greater than or equal to 1"),
                new Case("meridian.moderation.builtin.embedding.threads", "-1", "must be greater than or equal to 1"),
                new Case("meridian.moderation.builtin.embedding.escalation", "-0.5",
                        "must be greater than or equal to 0"),
                new Case("meridian.moderation.limits.max-items", "0", "must be greater than or equal to 1"),
                new Case("meridian.moderation.images.max-bytes", "0", "must be greater than or equal to 1"))) {
            ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                    () -> load(Map.of(c.property(), c.value())), c.property());
            assertEquals(1, refused.getProblemCount(), c.property());
            assertEquals(c.property() + " " + c.message(), refused.getProblem(0).getMessage());
        }
    }

    private static ModerationConfig load(Map<String, String> overrides) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(ModerationConfigTest.class.getResource("/application.properties"),
                        250))
                .withSources(new PropertiesConfigSource(overrides, "overrides", 500))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(ModerationConfig.class)
                .withValidator((BeanValidationConfigValidator) validation::getValidator)
                .build();
        return config.getConfigMapping(ModerationConfig.class);
    }
}
