package dev.meridian.common.config;

import java.time.Duration;

import org.eclipse.microprofile.config.spi.Converter;

import io.quarkus.runtime.configuration.DurationConverter;

/**
 * Ranges of configuration numbers, checked as SmallRye Config converts them ({@code @WithConverter}): a value out of
 * range stops the start with a message naming the property and the value, e.g. {@code SRCFG00039: The config property
 * meridian.chat.upstream.breaker.failure-ratio with the config value "1.5" threw an Exception whilst being converted
 * (it must be between 0 and 1)}. Cheaper at start-up than Bean Validation on the mappings.
 */
public final class Ranges {

    private Ranges() {
    }

    /** An integer of at least 1. */
    public static final class Positive implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 1);
        }
    }

    /** An integer of at least 0. */
    public static final class NonNegative implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 0);
        }
    }

    /** A number of at least 0. */
    public static final class NonNegativeNumber implements Converter<Double> {
        @Override
        public Double convert(String value) {
            return within(value, 0, Double.POSITIVE_INFINITY, "(it must be at least 0)");
        }
    }

    /** A share: a number from 0 to 1. */
    public static final class Ratio implements Converter<Double> {
        @Override
        public Double convert(String value) {
            return within(value, 0, 1, "(it must be between 0 and 1)");
        }
    }

    /** A duration longer than zero, written as Quarkus reads durations ({@code 5S}, {@code 250MS}, {@code PT1M}). */
    public static final class PositiveDuration implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            return duration(value, false);
        }
    }

    /** A duration of zero or more. */
    public static final class NonNegativeDuration implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            return duration(value, true);
        }
    }

    /** {@code value} as an integer, refused under {@code least}. */
    public static Integer atLeast(String value, int least) {
        int number = Integer.parseInt(value.trim());
        if (number < least) {
            throw new IllegalArgumentException("(it must be at least " + least + ")");
        }
        return number;
    }

    private static double within(String value, double least, double most, String why) {
        double number = Double.parseDouble(value.trim());
        if (!(number >= least && number <= most)) {
            throw new IllegalArgumentException(why);
        }
        return number;
    }

    private static Duration duration(String value, boolean zero) {
        Duration duration = DurationConverter.parseDuration(value.trim());
        if (duration == null || duration.isNegative() || duration.isZero() && !zero) {
            throw new IllegalArgumentException(zero ? "(it must not be negative)" : "(it must be longer than 0)");
        }
        return duration;
    }
}
