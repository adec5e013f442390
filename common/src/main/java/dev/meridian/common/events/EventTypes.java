package dev.meridian.common.events;

/** CloudEvent {@code type} values: {@code meridian.<resource>.<verb>}. */
public final class EventTypes {
    public static final String MODEL_CREATED = "meridian.model.created";
    public static final String MODEL_UPDATED = "meridian.model.updated";
    public static final String MODEL_DELETED = "meridian.model.deleted";

    private EventTypes() {
    }
}
