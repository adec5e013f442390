package dev.meridian.assistants.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;

import dev.meridian.assistants.entity.RunEntity;
import dev.meridian.assistants.repository.RunRepository;
import dev.meridian.testsupport.FakeChatUpstream;
import dev.meridian.testsupport.InjectKafka;
import dev.meridian.testsupport.KafkaBroker;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import dev.meridian.assistants.Api;
import dev.meridian.assistants.RunFixtures;

/** Execution across replicas (a replica that died holding runs) and the run events on Kafka. */
@QuarkusTest
class RunExecutionTest {

    final String org = Api.newOrg();

    @InjectKafka
    KafkaBroker kafka;

    @Inject
    RunRepository runs;

    @BeforeEach
    void resetUpstream() {
        FakeChatUpstream.reset();
    }

    @Test
    void runsOfADeadReplicaAreFailedOrTakenOver() {
        String assistant = RunFixtures.assistant(org, Map.of("model", "gpt-4o"));
        String executing = RunFixtures.thread(org, "Was being answered");
        String waiting = RunFixtures.thread(org, "Was waiting");
        // what a replica that died leaves behind: one run it was executing, one it had claimed but not started
        String inProgress = orphan(executing, assistant, RunEntity.IN_PROGRESS);
        String queued = orphan(waiting, assistant, RunEntity.QUEUED);

        Map<String, Object> failed = RunFixtures.await(org, executing, inProgress, RunFixtures.TERMINAL);
        assertEquals("failed", failed.get("status"));
        assertEquals(Map.of("code", "server_error", "message", "The server executing this run stopped before it"
                + " finished. Please create a new run."), failed.get("last_error"));
        assertNotNull(failed.get("failed_at"));

        Map<String, Object> taken = RunFixtures.await(org, waiting, queued, RunFixtures.TERMINAL);
        assertEquals("completed", taken.get("status"));
        assertEquals(List.of(Map.of("type", "text", "text", Map.of("value", "You said: Was waiting", "annotations",
                List.of()))), RunFixtures.list(org, "/v1/threads/" + waiting + "/messages?run_id=" + queued).get(0)
                        .get("content"));
    }

    /** A run as a dead replica leaves it: leased to that replica, the lease lapsed a second ago. */
    private String orphan(String thread, String assistant, String status) {
        return QuarkusTransaction.requiringNew().call(() -> {
            RunEntity run = new RunEntity();
            run.id = "run_orphan" + Long.toHexString(System.nanoTime());
            run.orgId = org;
            run.projectId = dev.meridian.common.security.Projects.defaultFor(org);
            run.threadId = thread;
            run.assistantId = assistant;
            run.createdAt = System.currentTimeMillis() / 1000;
            run.status = status;
            run.startedAt = RunEntity.IN_PROGRESS.equals(status) ? run.createdAt : null;
            run.expiresAt = run.createdAt + 600;
            run.model = "gpt-4o";
            run.instructions = "";
            run.tools = List.of();
            run.metadata = Map.of();
            run.truncationStrategy = RunFixtures.JSON.createObjectNode().put("type", "auto").putNull("last_messages");
            run.toolChoice = RunFixtures.JSON.getNodeFactory().textNode("auto");
            run.parallelToolCalls = true;
            run.responseFormat = RunFixtures.JSON.getNodeFactory().textNode("auto");
            run.engine = "builtin";
            run.leaseOwner = "replica-dead";
            run.leaseUntil = System.currentTimeMillis() - 1000;
            runs.persist(run);
            return run.id;
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void lifecycleEventsCarryTheRun() throws Exception {
        String assistant = RunFixtures.assistant(org, Map.of("model", "gpt-4o", "tools", List.of(RunFixtures.WEATHER)));
        String thread = RunFixtures.thread(org, "get_weather in Rome");
        Map<String, Object> created = RunFixtures.create(org, thread, Map.of("assistant_id", assistant));
        String run = (String) created.get("id");
        Map<String, Object> waiting = RunFixtures.awaitEnd(org, thread, run);
        String call = ((List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) waiting
                .get("required_action")).get("submit_tool_outputs")).get("tool_calls")).get(0).get("id").toString();
        Api.as(org).body(Map.of("tool_outputs", List.of(Map.of("tool_call_id", call, "output", "sunny"))))
                .post("/v1/threads/" + thread + "/runs/" + run + "/submit_tool_outputs").then().statusCode(200);
        Map<String, Object> done = RunFixtures.await(org, thread, run, RunFixtures.TERMINAL);

        AssistantsEventsTest events = new AssistantsEventsTest();
        events.kafka = kafka;
        Map<String, Object> createdEvent = events.event(run, "meridian.run.created");
        assertEquals(Map.of("id", run, "org_id", org, "thread_id", thread, "actor", "member@" + org, "object", created),
                createdEvent);
        Map<String, Object> actionEvent = events.event(run, "meridian.run.requires_action");
        assertEquals("system", actionEvent.get("actor"));
        assertEquals(waiting, actionEvent.get("object"));
        Map<String, Object> completedEvent = events.event(run, "meridian.run.completed");
        assertEquals(done, completedEvent.get("object"));
        assertNull(((Map<String, Object>) completedEvent.get("object")).get("required_action"));
    }
}
