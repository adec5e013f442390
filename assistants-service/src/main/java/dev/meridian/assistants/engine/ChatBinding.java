package dev.meridian.assistants.engine;

/**
 * Where a model is served, as its catalog entry says.
 *
 * @param engine {@code builtin} or {@code openai-compatible}
 * @param upstreamModel the model name the upstream knows, or null for the catalog id
 * @param upstreamBaseUrl the model's own OpenAI-compatible server, or null for the configured default
 * @param upstreamCredential the name of the configured API key to send it, or null for the default key
 */
public record ChatBinding(String engine, String upstreamModel, String upstreamBaseUrl, String upstreamCredential) {
}
