package dev.meridian.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.beta.assistants.Assistant;
import com.openai.models.beta.assistants.AssistantCreateParams;
import com.openai.models.beta.assistants.AssistantStreamEvent;
import com.openai.models.beta.assistants.FunctionTool;
import com.openai.models.beta.threads.Thread;
import com.openai.models.beta.threads.ThreadCreateAndRunParams;
import com.openai.models.beta.threads.ThreadCreateParams;
import com.openai.models.beta.threads.messages.Message;
import com.openai.models.beta.threads.messages.MessageListParams;
import com.openai.models.beta.threads.runs.RequiredActionFunctionToolCall;
import com.openai.models.beta.threads.runs.Run;
import com.openai.models.beta.threads.runs.RunCancelParams;
import com.openai.models.beta.threads.runs.RunCreateParams;
import com.openai.models.beta.threads.runs.RunRetrieveParams;
import com.openai.models.beta.threads.runs.RunStatus;
import com.openai.models.beta.threads.runs.RunSubmitToolOutputsParams;
import com.openai.models.beta.threads.runs.steps.RunStep;
import com.openai.models.beta.threads.runs.steps.StepListParams;

/**
 * Runs through the edge with the official SDK, on the stack's builtin chat engine (deterministic: it answers
 * "You said: …" and calls the function tools a message names). Every object is parsed strictly ({@code validate}).
 */
class RunsSdkIT {

    final OpenAIClient client = Stack.client("member");

    @Test
    void createAndPollAnswersInTheThread() {
        Assistant assistant = assistant();
        Thread thread = thread("Hello Meridian");
        Run run = client.beta().threads().runs().create(RunCreateParams.builder().threadId(thread.id())
                .assistantId(assistant.id()).build());
        run.validate();
        assertEquals(RunStatus.QUEUED, run.status());
        Run done = poll(thread.id(), run.id());
        assertEquals(RunStatus.COMPLETED, done.status());
        // builtin tokens are words: "Hello Meridian" in, "You said: Hello Meridian" out
        assertEquals(6, done.usage().orElseThrow().totalTokens());

        List<Message> messages = client.beta().threads().messages().list(MessageListParams.builder().threadId(thread.id())
                .runId(run.id()).build()).data();
        assertEquals(1, messages.size());
        messages.get(0).validate();
        assertEquals("You said: Hello Meridian", messages.get(0).content().get(0).asText().text().value());

        List<RunStep> steps = client.beta().threads().runs().steps().list(StepListParams.builder().threadId(thread.id())
                .runId(run.id()).build()).data();
        assertEquals(1, steps.size());
        steps.get(0).validate();
        assertEquals(messages.get(0).id(), steps.get(0).stepDetails().asMessageCreation().messageCreation().messageId());
    }

    @Test
    void streamingAccumulatesToWhatPollingReturns() {
        Assistant assistant = assistant();
        Thread thread = thread("Stream this reply");
        List<String> names = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Run last = null;
        try (StreamResponse<AssistantStreamEvent> stream = client.beta().threads().runs().createStreaming(
                RunCreateParams.builder().threadId(thread.id()).assistantId(assistant.id()).build())) {
            for (AssistantStreamEvent event : (Iterable<AssistantStreamEvent>) stream.stream()::iterator) {
                event.validate();
                names.add(event.isThreadMessageDelta() ? "delta" : event.isThreadRunCompleted() ? "completed" : "other");
                if (event.isThreadMessageDelta()) {
                    text.append(event.asThreadMessageDelta().data().delta().content().orElseThrow().get(0).asText().text()
                            .orElseThrow().value().orElseThrow());
                }
                if (event.isThreadRunCompleted()) {
                    last = event.asThreadRunCompleted().data();
                }
            }
        }
        assertEquals("completed", names.get(names.size() - 1));
        assertEquals(5, names.stream().filter("delta"::equals).count(), "one delta per word of the answer");
        assertEquals(last, client.beta().threads().runs().retrieve(RunRetrieveParams.builder().threadId(thread.id())
                .runId(last.id()).build()));
        Message message = client.beta().threads().messages().list(MessageListParams.builder().threadId(thread.id())
                .runId(last.id()).build()).data().get(0);
        assertEquals(message.content().get(0).asText().text().value(), text.toString());
        assertEquals("You said: Stream this reply", text.toString());
    }

    @Test
    void functionToolRoundTripThenCancelRules() {
        Assistant assistant = client.beta().assistants().create(AssistantCreateParams.builder().model("gpt-4o")
                .addTool(FunctionTool.builder().function(FunctionDefinition.builder().name("lookup_order")
                        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                                .build()).build()).build()).build());
        Thread thread = thread("Please lookup_order 42");
        Run run = client.beta().threads().runs().create(RunCreateParams.builder().threadId(thread.id())
                .assistantId(assistant.id()).build());
        Run waiting = poll(thread.id(), run.id());
        assertEquals(RunStatus.REQUIRES_ACTION, waiting.status());
        List<RequiredActionFunctionToolCall> calls = waiting.requiredAction().orElseThrow().submitToolOutputs().toolCalls();
        assertEquals(1, calls.size());
        assertEquals("lookup_order", calls.get(0).function().name());
        assertEquals("{\"input\":\"Please lookup_order 42\"}", calls.get(0).function().arguments());

        Run resumed = client.beta().threads().runs().submitToolOutputs(RunSubmitToolOutputsParams.builder()
                .threadId(thread.id()).runId(run.id()).addToolOutput(RunSubmitToolOutputsParams.ToolOutput.builder()
                        .toolCallId(calls.get(0).id()).output("shipped").build()).build());
        resumed.validate();
        assertEquals(RunStatus.COMPLETED, poll(thread.id(), run.id()).status());
        assertEquals("The tools answered: shipped", client.beta().threads().messages().list(MessageListParams.builder()
                .threadId(thread.id()).runId(run.id()).build()).data().get(0).content().get(0).asText().text().value());
        assertThrows(BadRequestException.class, () -> client.beta().threads().runs().cancel(RunCancelParams.builder()
                .threadId(thread.id()).runId(run.id()).build()));

        // a run waiting for tool outputs is cancelled at once
        Run second = client.beta().threads().runs().create(RunCreateParams.builder().threadId(thread.id())
                .assistantId(assistant.id()).build());
        assertEquals(RunStatus.REQUIRES_ACTION, poll(thread.id(), second.id()).status());
        Run cancelled = client.beta().threads().runs().cancel(RunCancelParams.builder().threadId(thread.id())
                .runId(second.id()).build());
        cancelled.validate();
        assertEquals(RunStatus.CANCELLED, cancelled.status());
        assertTrue(cancelled.cancelledAt().isPresent());
    }

    @Test
    void createThreadAndRun() {
        Assistant assistant = assistant();
        Run run = client.beta().threads().createAndRun(ThreadCreateAndRunParams.builder().assistantId(assistant.id())
                .thread(ThreadCreateAndRunParams.Thread.builder().addMessage(ThreadCreateAndRunParams.Thread.Message
                        .builder().role(ThreadCreateAndRunParams.Thread.Message.Role.USER).content("New thread").build())
                        .build()).build());
        run.validate();
        assertEquals(RunStatus.COMPLETED, poll(run.threadId(), run.id()).status());
        assertEquals("You said: New thread", client.beta().threads().messages().list(MessageListParams.builder()
                .threadId(run.threadId()).runId(run.id()).build()).data().get(0).content().get(0).asText().text().value());
    }

    private Assistant assistant() {
        return client.beta().assistants().create(AssistantCreateParams.builder().model("gpt-4o").build());
    }

    private Thread thread(String text) {
        return client.beta().threads().create(ThreadCreateParams.builder().addMessage(ThreadCreateParams.Message.builder()
                .role(ThreadCreateParams.Message.Role.USER).content(text).build()).build());
    }

    /** What the SDKs' createAndPoll helpers do: retrieve until the run stops moving. */
    private Run poll(String threadId, String runId) {
        return await("run " + runId + " to stop moving").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    Run run = client.beta().threads().runs().retrieve(RunRetrieveParams.builder().threadId(threadId)
                            .runId(runId).build());
                    run.validate();
                    return run;
                }, run -> !run.status().equals(RunStatus.QUEUED) && !run.status().equals(RunStatus.IN_PROGRESS)
                        && !run.status().equals(RunStatus.CANCELLING));
    }
}
