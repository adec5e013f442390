package dev.meridian.common.events;

/** CloudEvent {@code type} values: {@code meridian.<resource>.<verb>}. */
public final class EventTypes {
    public static final String MODEL_CREATED = "meridian.model.created";
    public static final String MODEL_UPDATED = "meridian.model.updated";
    public static final String MODEL_DELETED = "meridian.model.deleted";

    public static final String IMAGE_GENERATED = "meridian.image.generated";
    public static final String IMAGE_REVOKED = "meridian.image.revoked";
    public static final String MODERATION_COMPLETED = "meridian.moderation.completed";
    public static final String CONTENT_FLAGGED = "meridian.content.flagged";

    public static final String ASSISTANT_CREATED = "meridian.assistant.created";
    public static final String ASSISTANT_MODIFIED = "meridian.assistant.modified";
    public static final String ASSISTANT_DELETED = "meridian.assistant.deleted";
    public static final String THREAD_CREATED = "meridian.thread.created";
    public static final String THREAD_DELETED = "meridian.thread.deleted";
    public static final String MESSAGE_CREATED = "meridian.message.created";

    private EventTypes() {
    }
}
