package dev.meridian.common.api;

import jakarta.inject.Singleton;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.ContextAttributes;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * JSON as strict as OpenAI's API reads it, for every service: a value of the wrong type is a 400 naming the parameter
 * ({@code "n": "3"}, {@code "prompt": 123} and {@code "temperature": ""} are refused, not quietly converted), and a
 * body with anything after its JSON value ({@code {"a":1}garbage}) is not JSON. That is for what callers send; what an
 * upstream model server answers is read with {@link #tolerant}, since such servers have their quirks (a
 * {@code created} of {@code 1.7E9}, a number as a string).
 */
@Singleton
public class StrictWireJson implements ObjectMapperCustomizer {

    private static final LogicalType[] NON_TEXT = {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean,
        LogicalType.Enum, LogicalType.POJO, LogicalType.Collection, LogicalType.Map, LogicalType.Array};
    private static final LogicalType[] SCALARS = {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean};
    private static final CoercionInputShape[] NON_STRING = {CoercionInputShape.Integer, CoercionInputShape.Float,
        CoercionInputShape.Boolean};

    /** Set on the tolerant copy, whose strings may hold NUL (the strict mapper's string reader then lets them by). */
    private static final String TOLERANT = "meridian.json.tolerant";

    @Override
    public void customize(ObjectMapper mapper) {
        configure(mapper, true);
        mapper.registerModule(new SimpleModule("meridian-text").addDeserializer(String.class, new TextWithoutNul()));
    }

    /**
     * A copy of the strict mapper that reads as Jackson does by default: scalars converted where they can be, an
     * empty string as null, trailing content ignored. The REST clients of upstream servers use it
     * ({@code @ClientObjectMapper}).
     */
    public static ObjectMapper tolerant(ObjectMapper strict) {
        ObjectMapper copy = strict.copy();
        configure(copy, false);
        copy.setDefaultAttributes(ContextAttributes.getEmpty().withSharedAttribute(TOLERANT, Boolean.TRUE));
        return copy;
    }

    private static void configure(ObjectMapper mapper, boolean strict) {
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, strict);
        for (LogicalType type : NON_TEXT) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.EmptyString,
                    strict ? CoercionAction.Fail : CoercionAction.AsNull);
        }
        CoercionAction convert = strict ? CoercionAction.Fail : CoercionAction.TryConvert;
        for (LogicalType type : SCALARS) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, convert);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, convert);
        for (CoercionInputShape shape : NON_STRING) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, convert);
        }
    }

    /**
     * Strings as Jackson reads them, but a NUL character (U+0000) is refused with the field's path: PostgreSQL's text
     * cannot hold it, and the caller should hear which parameter carried it rather than a failure at commit.
     * Fields read as a JSON tree (a moderation's {@code input}) are not affected.
     */
    static final class TextWithoutNul extends StringDeserializer {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = super.deserialize(parser, context);
            if (value != null && value.indexOf('\u0000') >= 0 && context.getAttribute(TOLERANT) == null) {
                throw InvalidFormatException.from(parser, "text cannot contain the NUL character", value, String.class);
            }
            return value;
        }
    }
}
