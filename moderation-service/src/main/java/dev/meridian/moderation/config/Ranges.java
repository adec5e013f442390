package dev.meridian.moderation.config;

import org.eclipse.microprofile.config.spi.Converter;

import dev.meridian.moderation.builtin.Embedder;

/**
 * The ranges of {@code meridian.moderation.*} numbers, checked as SmallRye Config converts them: a value out of range
 * stops the start with a message naming the property and the value. Bean Validation constraints on the mapping said
 * the same but cost the service 0.3–0.5 s of every start, to build Hibernate Validator's metadata of the mapping's
 * classes before anything else could run.
 */
public final class Ranges {

    private Ranges() {
    }

    /** At least 1. */
    public static final class Positive implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 1);
        }
    }

    /** At least 0. */
    public static final class NonNegative implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 0);
        }
    }

    /** At least the longest text's tokens with [CLS] and [SEP]. */
    public static final class BatchTokens implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, Embedder.MAX_TOKENS + 2);
        }
    }

    /** A number of at least 0. */
    public static final class NonNegativeNumber implements Converter<Double> {
        @Override
        public Double convert(String value) {
            double number = Double.parseDouble(value.trim());
            if (!(number >= 0)) {
                throw new IllegalArgumentException("(it must be at least 0)");
            }
            return number;
        }
    }

    private static Integer atLeast(String value, int least) {
        int number = Integer.parseInt(value.trim());
        if (number < least) {
            throw new IllegalArgumentException("(it must be at least " + least + ")");
        }
        return number;
    }
}
