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
    public static final String RUN_CREATED = "meridian.run.created";
    public static final String RUN_REQUIRES_ACTION = "meridian.run.requires_action";
    public static final String RUN_COMPLETED = "meridian.run.completed";
    public static final String RUN_INCOMPLETE = "meridian.run.incomplete";
    public static final String RUN_FAILED = "meridian.run.failed";
    public static final String RUN_CANCELLED = "meridian.run.cancelled";
    public static final String RUN_EXPIRED = "meridian.run.expired";

    public static final String PROJECT_CREATED = "meridian.project.created";
    public static final String PROJECT_UPDATED = "meridian.project.updated";
    public static final String PROJECT_ARCHIVED = "meridian.project.archived";
    public static final String PROJECT_MEMBER_ADDED = "meridian.project.member_added";
    public static final String PROJECT_MEMBER_UPDATED = "meridian.project.member_updated";
    public static final String PROJECT_MEMBER_REMOVED = "meridian.project.member_removed";
    public static final String API_KEY_CREATED = "meridian.api_key.created";
    public static final String API_KEY_DELETED = "meridian.api_key.deleted";
    public static final String RATE_LIMIT_UPDATED = "meridian.rate_limit.updated";

    private EventTypes() {
    }
}
