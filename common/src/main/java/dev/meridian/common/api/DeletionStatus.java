package dev.meridian.common.api;

/** {@code {"id","object","deleted"}}; {@code object} names the deleted kind, e.g. {@code model} or {@code assistant.deleted}. */
public record DeletionStatus(String id, String object, boolean deleted) {

    public static DeletionStatus deleted(String id, String object) {
        return new DeletionStatus(id, object, true);
    }
}
