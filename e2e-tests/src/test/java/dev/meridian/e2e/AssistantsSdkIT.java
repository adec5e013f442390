package dev.meridian.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.FunctionDefinition;
import com.openai.models.beta.assistants.Assistant;
import com.openai.models.beta.assistants.AssistantCreateParams;
import com.openai.models.beta.assistants.AssistantDeleted;
import com.openai.models.beta.assistants.AssistantListParams;
import com.openai.models.beta.assistants.AssistantUpdateParams;
import com.openai.models.beta.assistants.CodeInterpreterTool;
import com.openai.models.beta.assistants.FunctionTool;
import com.openai.models.beta.threads.Thread;
import com.openai.models.beta.threads.ThreadCreateParams;
import com.openai.models.beta.threads.messages.Message;
import com.openai.models.beta.threads.messages.MessageCreateParams;
import com.openai.models.beta.threads.messages.MessageListParams;

/** Assistants, threads and messages through the edge with the official SDK (which sends OpenAI-Beta: assistants=v2). */
class AssistantsSdkIT {

    @Test
    void assistantLifecycle() {
        OpenAIClient client = Stack.client("member");
        Assistant created = client.beta().assistants().create(AssistantCreateParams.builder()
                .model("gpt-4o")
                .name("Math Tutor")
                .instructions("You are a personal math tutor.")
                .addTool(CodeInterpreterTool.builder().build())
                .addTool(FunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                        .parameters(com.openai.models.FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object")).build())
                        .build()).build())
                .metadata(AssistantCreateParams.Metadata.builder().putAdditionalProperty("team", JsonValue.from("math")).build())
                .temperature(0.5)
                .build());
        created.validate();
        assertTrue(created.id().startsWith("asst_"));
        assertEquals("gpt-4o", created.model());
        assertEquals(Optional.of("Math Tutor"), created.name());
        assertEquals(2, created.tools().size());
        assertTrue(created.tools().get(0).isCodeInterpreter());
        assertEquals("get_weather", created.tools().get(1).asFunction().function().name());
        assertEquals(Optional.of(0.5), created.temperature());

        Assistant updated = client.beta().assistants().update(AssistantUpdateParams.builder()
                .assistantId(created.id()).name("Algebra Tutor").build());
        updated.validate();
        assertEquals(Optional.of("Algebra Tutor"), updated.name());
        assertEquals(created.instructions(), updated.instructions());
        assertEquals(Optional.of(0.5), updated.temperature());

        Assistant read = Stack.client("owner").beta().assistants().retrieve(created.id());
        read.validate();
        assertEquals(Optional.of("Algebra Tutor"), read.name());

        assertThrows(NotFoundException.class, () -> Stack.client("outsider").beta().assistants().retrieve(created.id()));

        AssistantDeleted deleted = client.beta().assistants().delete(created.id());
        assertTrue(deleted.deleted());
        assertEquals(created.id(), deleted.id());
        assertThrows(NotFoundException.class, () -> client.beta().assistants().retrieve(created.id()));
    }

    @Test
    void theAutoPagerVisitsEveryAssistantOnce() {
        OpenAIClient client = Stack.client("outsider");
        String tag = "pager-" + System.nanoTime();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            created.add(client.beta().assistants().create(AssistantCreateParams.builder().model("gpt-4o-mini")
                    .name(tag).build()).id());
        }
        List<String> seen = new ArrayList<>();
        client.beta().assistants().list(AssistantListParams.builder().limit(10).order(AssistantListParams.Order.ASC).build())
                .autoPager().forEach(a -> {
                    a.validate();
                    if (a.name().orElse("").equals(tag)) {
                        seen.add(a.id());
                    }
                });
        assertEquals(created, seen);
    }

    @Test
    void unknownModelIsABadRequestNamingModel() {
        BadRequestException e = assertThrows(BadRequestException.class, () -> Stack.client("member").beta().assistants()
                .create(AssistantCreateParams.builder().model("gpt-9000").build()));
        assertEquals(Optional.of("model"), e.param());
        assertEquals(Optional.of("model_not_found"), e.code());
    }

    @Test
    void threadsAndMessages() {
        OpenAIClient client = Stack.client("member");
        Thread thread = client.beta().threads().create(ThreadCreateParams.builder()
                .addMessage(ThreadCreateParams.Message.builder().role(ThreadCreateParams.Message.Role.USER)
                        .content("What is 2 + 2?").build())
                .build());
        thread.validate();
        assertTrue(thread.id().startsWith("thread_"));

        Message reply = client.beta().threads().messages().create(thread.id(), MessageCreateParams.builder()
                .role(MessageCreateParams.Role.ASSISTANT).content("4").build());
        reply.validate();
        assertEquals(thread.id(), reply.threadId());
        assertEquals("4", reply.content().get(0).asText().text().value());

        List<Message> messages = client.beta().threads().messages().list(thread.id(),
                MessageListParams.builder().order(MessageListParams.Order.ASC).build()).data();
        messages.forEach(Message::validate);
        assertEquals(List.of("What is 2 + 2?", "4"), messages.stream()
                .map(m -> m.content().get(0).asText().text().value()).toList());

        assertThrows(NotFoundException.class, () -> Stack.client("outsider").beta().threads().retrieve(thread.id()));

        assertTrue(client.beta().threads().delete(thread.id()).deleted());
        assertThrows(NotFoundException.class, () -> client.beta().threads().messages().list(thread.id()));
        assertFalse(thread.id().isEmpty());
    }
}
