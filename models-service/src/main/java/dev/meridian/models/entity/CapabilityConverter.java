package dev.meridian.models.entity;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import dev.meridian.common.api.models.Capability;

/** Stores capabilities by their wire names, as the table's check constraint expects. */
@Converter
public class CapabilityConverter implements AttributeConverter<Capability, String> {

    @Override
    public String convertToDatabaseColumn(Capability capability) {
        return capability == null ? null : capability.wireName();
    }

    @Override
    public Capability convertToEntityAttribute(String value) {
        return value == null ? null : Capability.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
