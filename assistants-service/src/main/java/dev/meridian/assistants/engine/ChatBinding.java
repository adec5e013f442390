package dev.meridian.assistants.engine;

/**
 * Where a model is served, as its catalog entry says.
 *
 * @param engine {@code builtin} or {@code openai-compatible}
 * @param upstreamModel the model name the upstream knows, or null for the catalog id
 */
public record ChatBinding(String engine, String upstreamModel) {
}
