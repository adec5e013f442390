package dev.meridian.assistants.engine;

import io.smallrye.mutiny.Multi;

/**
 * Answers one chat turn as a stream of {@link ChatEvent}s. Cancelling the subscription aborts the
 * work (for an upstream, its HTTP request). Failures are {@link ChatFailure}s.
 */
public interface ChatEngine {

    String name();

    Multi<ChatEvent> stream(ChatRequest request, ChatBinding binding);
}
