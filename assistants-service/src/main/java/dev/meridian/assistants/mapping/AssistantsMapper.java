package dev.meridian.assistants.mapping;

import java.util.List;
import java.util.Map;

import dev.meridian.assistants.entity.AssistantEntity;
import dev.meridian.assistants.entity.MessageEntity;
import dev.meridian.assistants.entity.RunEntity;
import dev.meridian.assistants.entity.RunStepEntity;
import dev.meridian.assistants.entity.ThreadEntity;
import dev.meridian.assistants.api.AssistantObject;
import dev.meridian.assistants.api.MessageObject;
import dev.meridian.assistants.api.RunObject;
import dev.meridian.assistants.api.RunStepObject;
import dev.meridian.assistants.api.ThreadObject;
import dev.meridian.assistants.api.ToolResources;

public final class AssistantsMapper {

    private AssistantsMapper() {
    }

    public static AssistantObject toObject(AssistantEntity e) {
        return new AssistantObject(e.id, AssistantObject.OBJECT, e.createdAt, e.name, e.description, e.model,
                e.instructions, List.copyOf(e.tools), resources(e.toolResources), Map.copyOf(e.metadata), e.temperature,
                e.topP, e.responseFormat);
    }

    public static ThreadObject toObject(ThreadEntity e) {
        return new ThreadObject(e.id, ThreadObject.OBJECT, e.createdAt, resources(e.toolResources), Map.copyOf(e.metadata));
    }

    public static MessageObject toObject(MessageEntity e) {
        return new MessageObject(e.id, MessageObject.OBJECT, e.createdAt, e.threadId, e.status, e.incompleteDetails,
                e.completedAt, e.incompleteAt, e.role, e.content, e.assistantId, e.runId, List.copyOf(e.attachments),
                Map.copyOf(e.metadata));
    }

    /** A message as events carry it: everything but the content, which may be sensitive. */
    public static MessageObject toEventObject(MessageEntity e) {
        return new MessageObject(e.id, MessageObject.OBJECT, e.createdAt, e.threadId, e.status, e.incompleteDetails,
                e.completedAt, e.incompleteAt, e.role, null, e.assistantId, e.runId, List.copyOf(e.attachments),
                Map.copyOf(e.metadata));
    }

    /** A run; {@code usage} only once it is terminal, as OpenAI reports it. */
    public static RunObject toObject(RunEntity e) {
        boolean terminal = !e.active() && !RunEntity.REQUIRES_ACTION.equals(e.status);
        return new RunObject(e.id, RunObject.OBJECT, e.createdAt, e.assistantId, e.threadId, e.status, e.startedAt,
                e.expiresAt, e.cancelledAt, e.failedAt, e.completedAt, e.requiredAction, e.lastError, e.model,
                e.instructions, List.copyOf(e.tools), Map.copyOf(e.metadata), e.incompleteDetails,
                terminal ? RunObject.Usage.of(e.promptTokens, e.completionTokens) : null, e.temperature, e.topP,
                e.maxPromptTokens, e.maxCompletionTokens, e.truncationStrategy, e.toolChoice, e.parallelToolCalls,
                e.responseFormat);
    }

    public static RunStepObject toObject(RunStepEntity e) {
        RunObject.Usage usage = e.usage == null || e.usage.isNull() ? null
                : RunObject.Usage.of(e.usage.path("prompt_tokens").asInt(), e.usage.path("completion_tokens").asInt());
        return new RunStepObject(e.id, RunStepObject.OBJECT, e.createdAt, e.runId, e.assistantId, e.threadId, e.type,
                e.status, e.cancelledAt, e.completedAt, e.expiredAt, e.failedAt, e.lastError, e.stepDetails,
                Map.copyOf(e.metadata), usage);
    }

    private static ToolResources resources(ToolResources resources) {
        return resources == null ? ToolResources.EMPTY : resources;
    }
}
