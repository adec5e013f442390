package dev.meridian.assistants.mapping;

import java.util.List;
import java.util.Map;

import dev.meridian.assistants.entity.AssistantEntity;
import dev.meridian.assistants.entity.MessageEntity;
import dev.meridian.assistants.entity.ThreadEntity;
import dev.meridian.common.api.assistants.AssistantObject;
import dev.meridian.common.api.assistants.MessageObject;
import dev.meridian.common.api.assistants.ThreadObject;
import dev.meridian.common.api.assistants.ToolResources;

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

    private static ToolResources resources(ToolResources resources) {
        return resources == null ? ToolResources.EMPTY : resources;
    }
}
