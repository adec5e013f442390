package dev.meridian.assistants.engine;

/** What an engine reports while it answers one turn, in the order the model produces it. */
public sealed interface ChatEvent {

    /** A piece of the answer's text. */
    record Text(String delta) implements ChatEvent {
    }

    /**
     * A piece of a tool call: the first piece of call {@code index} carries its id and name, later ones
     * null; {@code arguments} is the next fragment of the JSON arguments (possibly empty).
     */
    record ToolCall(int index, String id, String name, String arguments) implements ChatEvent {
    }

    /** Why the model stopped: {@code stop}, {@code length}, {@code tool_calls} or {@code content_filter}. */
    record Finished(String reason) implements ChatEvent {
    }

    /** The tokens the upstream counted for this turn. */
    record Usage(int promptTokens, int completionTokens) implements ChatEvent {
    }
}
