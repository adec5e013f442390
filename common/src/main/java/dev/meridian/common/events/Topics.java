package dev.meridian.common.events;

/** Kafka topics; one per owning service. */
public final class Topics {
    public static final String MODELS = "meridian.models";
    public static final String MODERATIONS = "meridian.moderations";
    public static final String IMAGES = "meridian.images";
    public static final String ASSISTANTS = "meridian.assistants";

    private Topics() {
    }
}
