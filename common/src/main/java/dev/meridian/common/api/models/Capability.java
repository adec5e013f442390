package dev.meridian.common.api.models;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a catalog model does; decides which service may serve it. */
public enum Capability {
    @JsonProperty("image")
    IMAGE,
    @JsonProperty("moderation")
    MODERATION,
    @JsonProperty("chat")
    CHAT;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
