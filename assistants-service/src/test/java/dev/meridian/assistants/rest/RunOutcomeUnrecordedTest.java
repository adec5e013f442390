package dev.meridian.assistants.rest;

import static dev.meridian.assistants.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.meridian.assistants.Api;
import dev.meridian.assistants.RunFixtures;
import dev.meridian.testsupport.Envelopes;
import dev.meridian.testsupport.FakeChatUpstream;
import dev.meridian.testsupport.FakeChatUpstream.Reply;
import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * A streamed run whose answer cannot be stored because the database went away while the model answered: its stream
 * ends with an {@code error} event (which the SDKs raise) instead of staying open, and once the database is back the
 * sweep fails the run, instead of this replica renewing the lease of a run it no longer executes.
 * <p>
 * The database goes away by refusing new connections ({@code ALLOW_CONNECTIONS false}) and losing the open ones;
 * the test's own connection (to another database of the server) stays to undo it, whatever happens.
 */
@QuarkusTest
class RunOutcomeUnrecordedTest {

    final String org = Api.newOrg();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void resetUpstream() {
        FakeChatUpstream.reset();
    }

    @Test
    void theStreamEndsWithAnErrorAndTheRunFailsOnceTheDatabaseIsBack() throws Exception {
        String assistant = RunFixtures.assistant(org, Map.of("model", "llama3.1:8b"));
        String thread = RunFixtures.thread(org, "While the database goes away");
        FakeChatUpstream.SCRIPT.add(Reply.text("one", " two", " three").paced(300));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/threads/"
                + thread + "/runs")).header("Authorization", "Bearer " + Tokens.member(org))
                .header("OpenAI-Beta", "assistants=v2").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"assistant_id\":\"" + assistant + "\",\"stream\":true}"))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());

        // PostgreSQL refuses to close the database one is connected to: the test works from another one
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class)
                .replaceFirst("/postgres(\\?|$)", "/template1$1");
        StringBuilder body = new StringBuilder();
        try (Connection admin = DriverManager.getConnection(url, "postgres", "postgres");
                Statement statement = admin.createStatement()) {
            try {
                CompletableFuture<Void> read = CompletableFuture.runAsync(() -> {
                    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                            StandardCharsets.UTF_8))) {
                        int deltas = 0;
                        String line;
                        while ((line = reader.readLine()) != null) {
                            body.append(line).append('\n');
                            if (line.equals("event: thread.message.delta") && ++deltas == 3) {
                                // the answer's text is all there and its message stored: the database goes away
                                // before the answer ends, so what fails to be stored is the run's completion
                                statement.execute("ALTER DATABASE postgres ALLOW_CONNECTIONS false");
                                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE"
                                        + " datname = 'postgres' AND pid <> pg_backend_pid()");
                            }
                        }
                    } catch (IOException | SQLException e) {
                        throw new CompletionException(e);
                    }
                });
                read.get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the stream stayed open 30 s: " + body, e);
            } finally {
                statement.execute("ALTER DATABASE postgres ALLOW_CONNECTIONS true");
            }
        }

        List<RunFixtures.Event> events = RunFixtures.events(body.toString());
        List<String> names = RunFixtures.names(events);
        assertEquals(List.of("error", "done"), names.subList(names.size() - 2, names.size()), body.toString());
        assertEquals(Envelopes.error("The server could not record the outcome of this run. The run will be marked"
                + " failed shortly; retrieve it for its final status.", "server_error", null, null).get("error"),
                RunFixtures.JSON.convertValue(events.get(events.size() - 2).data(), Map.class));

        // the sweep fails the run once its lease lapses; the service's first requests after the database is back
        // may meet a connection the database closed, and get a 503 for it, until the pool has let those go
        String run = events.get(0).data().get("id").asText();
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
        Map<String, Object> failed = seen[0];
        assertEquals("failed", failed.get("status"));
        assertEquals(Map.of("code", "server_error", "message", "The server executing this run stopped before it"
                + " finished. Please create a new run."), failed.get("last_error"));
    }
}
