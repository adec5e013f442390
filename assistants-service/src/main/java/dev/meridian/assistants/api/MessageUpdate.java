package dev.meridian.assistants.api;

import java.util.Map;

/** The body of modify message: only {@code metadata} can change. */
public record MessageUpdate(Map<String, String> metadata) {
}
