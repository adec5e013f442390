package dev.meridian.assistants.rest;

import static dev.meridian.assistants.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.meridian.assistants.Api;
import dev.meridian.assistants.RunFixtures;
import dev.meridian.assistants.TestDatabase;
import dev.meridian.testsupport.Envelopes;
import dev.meridian.testsupport.FakeChatUpstream;
import dev.meridian.testsupport.FakeChatUpstream.Reply;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Streamed runs whose completion cannot be stored, or is stored without the service learning it, because the
 * database went away while the model answered. The stream never stays open: it ends with an {@code error} event
 * (the Java SDK hands it over as an {@code ErrorEvent}) or with how the run really ended; and the run never stays {@code in_progress}.
 * <p>
 * The test changes the database from its own connection to another database of the server ({@code template1}),
 * which stays to undo every change, whatever happens.
 */
@QuarkusTest
class RunOutcomeUnrecordedTest {

    final String org = Api.newOrg();

    @Inject
    AgroalDataSource dataSource;

    /** What the test does to the database once the answer's third delta has reached the client. */
    interface Outage {
        void begin(Statement admin) throws SQLException;

        /** Called every 10 ms until the stream ends or it answers true: the outage ends then. */
        default boolean meanwhile(Statement admin) throws SQLException {
            return false;
        }

        void end(Statement admin) throws SQLException;
    }

    @BeforeEach
    void resetUpstream() {
        FakeChatUpstream.reset();
    }

    @Test
    void aCompletionThatCannotBeStoredEndsTheStreamWithAnErrorAndTheRunFailsOnceTheDatabaseIsBack() throws Exception {
        String thread = RunFixtures.thread(org, "While the database goes away");
        List<RunFixtures.Event> events = streamThrough(thread, new Outage() {
            @Override
            public void begin(Statement admin) throws SQLException {
                // new connections are refused, open ones are lost
                admin.execute("ALTER DATABASE postgres ALLOW_CONNECTIONS false");
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'postgres'"
                        + " AND pid <> pg_backend_pid()");
            }

            @Override
            public void end(Statement admin) throws SQLException {
                admin.execute("ALTER DATABASE postgres ALLOW_CONNECTIONS true");
                dataSource.flush(AgroalDataSource.FlushMode.GRACEFUL); // the closed connections leave the pool
            }
        });

        List<String> names = RunFixtures.names(events);
        assertEquals(List.of("error", "done"), names.subList(names.size() - 2, names.size()), names.toString());
        assertEquals(Envelopes.error("The server could not record the outcome of this run. Its status will be"
                + " settled shortly; retrieve the run for its final status.", "server_error", null, null).get("error"),
                RunFixtures.JSON.convertValue(events.get(events.size() - 2).data(), Map.class));
        // the sweep fails the run once its lease lapses
        Map<String, Object> failed = awaitEnded(thread, events.get(0).data().get("id").asText());
        assertEquals("failed", failed.get("status"));
        assertEquals(Map.of("code", "server_error", "message", "The server executing this run stopped before it"
                + " finished. Please create a new run."), failed.get("last_error"));
    }

    @Test
    void aCompletionStoredThoughItsCommitFailedEndsTheStreamAsCompleted() throws Exception {
        String thread = RunFixtures.thread(org, "While the commit is cut off");
        List<RunFixtures.Event> events = streamThrough(thread, new Outage() {
            @Override
            public void begin(Statement admin) throws SQLException {
                // commits wait for a synchronous standby that does not exist (the test PostgreSQL runs with
                // synchronous_commit off, which a role's setting overrides for the service's next connections)
                admin.execute("ALTER ROLE CURRENT_USER SET synchronous_commit = on");
                admin.execute("ALTER SYSTEM SET synchronous_standby_names = 'nobody'");
                admin.execute("SELECT pg_reload_conf()");
                dataSource.flush(AgroalDataSource.FlushMode.GRACEFUL);
            }

            @Override
            public boolean meanwhile(Statement admin) throws SQLException {
                // every waiting commit is cut off as a shutdown does: committed here, an error for the service (the
                // heartbeat's lease renewals too, which would hold the run's row); the outage ends once the
                // completion's was (it ends the run's steps: it holds a lock on run_step)
                try (Connection connection = TestDatabase.connect("postgres");
                        Statement statement = connection.createStatement();
                        // which backends held run_step is read before any is terminated (an ended backend holds
                        // nothing): a materialized CTE is evaluated first, whole
                        ResultSet cut = statement.executeQuery("WITH waiting AS MATERIALIZED (SELECT a.pid,"
                                + " EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid"
                                + " AND l.relation = 'run_step'::regclass) AS completion"
                                + " FROM pg_stat_activity a WHERE a.wait_event = 'SyncRep')"
                                + " SELECT count(*) FILTER (WHERE completion) FROM waiting"
                                + " WHERE pg_terminate_backend(pid)")) {
                    cut.next();
                    return cut.getInt(1) > 0;
                }
            }

            @Override
            public void end(Statement admin) throws SQLException {
                admin.execute("ALTER SYSTEM RESET synchronous_standby_names");
                admin.execute("SELECT pg_reload_conf()");
                admin.execute("ALTER ROLE CURRENT_USER RESET synchronous_commit");
                dataSource.flush(AgroalDataSource.FlushMode.GRACEFUL);
            }
        });

        List<String> names = RunFixtures.names(events);
        assertEquals(List.of("thread.run.completed", "done"), names.subList(names.size() - 2, names.size()),
                names.toString());
        String run = events.get(0).data().get("id").asText();
        Map<String, Object> completed = awaitEnded(thread, run);
        assertEquals("completed", completed.get("status"));
        assertEquals(completed, RunFixtures.JSON.convertValue(events.get(events.size() - 2).data(), Map.class));
        assertEquals(List.of(Map.of("type", "text", "text", Map.of("value", "one two three", "annotations",
                List.of()))),
                RunFixtures.list(org, "/v1/threads/" + thread + "/messages?run_id=" + run).get(0).get("content"));
    }

    /**
     * Streams a run of the thread whose model answers "one two three" a piece every 300 ms, applies {@code outage}
     * once the third delta has arrived (the answer's message is stored by then, so what fails is the run's
     * completion), and answers the events the stream carried, once it ended.
     */
    private List<RunFixtures.Event> streamThrough(String thread, Outage outage) throws Exception {
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b"));
        FakeChatUpstream.SCRIPT.add(Reply.text("one", " two", " three").paced(300));
        InputStream events = RunFixtures.stream(org, thread, assistant);

        StringBuilder body = new StringBuilder();
        // PostgreSQL refuses to close the database one is connected to: the test works from another one
        try (Connection connection = TestDatabase.connect("template1");
                Statement admin = connection.createStatement()) {
            CompletableFuture<Void> thirdDelta = new CompletableFuture<>();
            CompletableFuture<Void> read = CompletableFuture.runAsync(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(events,
                        StandardCharsets.UTF_8))) {
                    int deltas = 0;
                    String line;
                    while ((line = reader.readLine()) != null) {
                        synchronized (body) {
                            body.append(line).append('\n');
                        }
                        if (line.equals("event: thread.message.delta") && ++deltas == 3) {
                            thirdDelta.complete(null);
                        }
                    }
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            });
            try {
                thirdDelta.get(30, TimeUnit.SECONDS);
                outage.begin(admin);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!read.isDone() && System.nanoTime() < deadline && !outage.meanwhile(admin)) {
                    Thread.sleep(10);
                }
                outage.end(admin);
                while (!read.isDone() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                read.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                synchronized (body) {
                    throw new AssertionError("the stream did not reach its third delta or stayed open 30 s: " + body,
                            e);
                }
            } finally {
                outage.end(admin);
            }
        }
        return RunFixtures.events(body.toString());
    }

    /**
     * The run once it ended. The service's first requests after the database is back may meet a connection the
     * database closed, and get a 503 for it, until the pool has let those go.
     */
    private Map<String, Object> awaitEnded(String thread, String run) {
        Map<String, Object>[] seen = new Map[1];
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Response now = as(org).get("/v1/threads/" + thread + "/runs/" + run);
            if (now.statusCode() == 503) {
                return false;
            }
            assertEquals(200, now.statusCode(), now.body().asString());
            seen[0] = now.as(Map.class);
            return RunFixtures.TERMINAL.contains(seen[0].get("status"));
        });
        return seen[0];
    }
}
