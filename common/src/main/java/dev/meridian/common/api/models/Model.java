package dev.meridian.common.api.models;

import com.fasterxml.jackson.annotation.JsonProperty;

/** OpenAI's {@code Model} object. */
public record Model(
        String id,
        String object,
        long created,
        @JsonProperty("owned_by") String ownedBy) {

    public static final String OBJECT = "model";

    public static Model of(String id, long created, String ownedBy) {
        return new Model(id, OBJECT, created, ownedBy);
    }
}
