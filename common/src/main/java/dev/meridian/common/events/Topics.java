package dev.meridian.common.events;

/** Kafka topics; one per owning service. */
public final class Topics {
    public static final String MODELS = "meridian.models";
    public static final String MODERATIONS = "meridian.moderations";
    public static final String IMAGES = "meridian.images";
    public static final String ASSISTANTS = "meridian.assistants";
    /** admin-service: projects, their members (users and service accounts) and API keys. */
    public static final String PROJECTS = "meridian.projects";

    private Topics() {
    }
}
