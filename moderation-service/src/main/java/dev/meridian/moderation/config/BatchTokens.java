package dev.meridian.moderation.config;

import org.eclipse.microprofile.config.spi.Converter;

import dev.meridian.common.config.Ranges;
import dev.meridian.moderation.builtin.Embedder;

/**
 * The range of {@code meridian.moderation.builtin.embedding.batch-max-tokens}: at least the longest text's tokens with
 * [CLS] and [SEP]. Like the general ranges of {@link Ranges}, checked as SmallRye Config converts the value: Bean
 * Validation constraints on the mapping said the same but cost the service 0.3–0.5 s of every start, to build
 * Hibernate Validator's metadata of the mapping's classes before anything else could run.
 */
public final class BatchTokens implements Converter<Integer> {

    @Override
    public Integer convert(String value) {
        return Ranges.atLeast(value, Embedder.MAX_TOKENS + 2);
    }
}
