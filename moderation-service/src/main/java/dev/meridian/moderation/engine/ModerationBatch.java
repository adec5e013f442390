package dev.meridian.moderation.engine;

import java.util.List;

/** A moderation request as the engines see it: the model and one {@link ModerationInput} per result to return. */
public record ModerationBatch(String model, List<ModerationInput> inputs, boolean multimodal) {
}
