package dev.meridian.admin.api;

/** {@code ProjectUserDeleteResponse}, {@code ProjectServiceAccountDeleteResponse}, {@code ProjectApiKeyDeleteResponse}. */
public record Deleted(String object, String id, boolean deleted) {
}
