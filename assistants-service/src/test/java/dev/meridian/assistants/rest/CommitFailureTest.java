package dev.meridian.assistants.rest;

import static dev.meridian.assistants.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.meridian.assistants.Api;
import dev.meridian.assistants.TestDatabase;
import dev.meridian.testsupport.Envelopes;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A write whose COMMIT loses its connection (PostgreSQL stopping or restarting while the commit is on its way) is a
 * 503 with {@code retry-after: 1}, like every other lost connection, not a 500. The transaction manager reports that
 * failure with the connection's exception suppressed, not as a cause (seen in FaultsIT's PostgreSQL restart).
 * <p>
 * To hold a commit in flight, PostgreSQL is made to wait for a synchronous standby that does not exist; the waiting
 * backend is then terminated, as a shutdown does. The settings are undone whatever happens.
 */
@QuarkusTest
class CommitFailureTest {

    final String org = Api.newOrg();

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aCommitCutOffByTheDatabaseIsA503() throws Exception {
        CompletableFuture<Response> create;
        int terminated = 0;
        try {
            // the test PostgreSQL runs with synchronous_commit off (its command line), which a role's setting overrides
            admin("ALTER ROLE CURRENT_USER SET synchronous_commit = on",
                    "ALTER SYSTEM SET synchronous_standby_names = 'nobody'", "SELECT pg_reload_conf()");
            // the service's next connections have the role's setting
            dataSource.flush(AgroalDataSource.FlushMode.GRACEFUL);
            create = CompletableFuture.supplyAsync(() -> as(org).body(Map.of("model", "gpt-4o", "name", "cut off"))
                    .post("/v1/assistants"));
            // every commit that waits is cut off (the rate limiter's settles too) until the request has its answer
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!create.isDone() && System.nanoTime() < deadline) {
                terminated += terminateWaitingCommits();
                Thread.sleep(10);
            }
        } finally {
            admin("SET synchronous_commit = off", "ALTER SYSTEM RESET synchronous_standby_names",
                    "SELECT pg_reload_conf()", "ALTER ROLE CURRENT_USER RESET synchronous_commit");
            dataSource.flush(AgroalDataSource.FlushMode.GRACEFUL);
        }
        assertTrue(terminated >= 1, "a commit was waiting");
        Response response = create.get(30, TimeUnit.SECONDS);

        assertEquals(503, response.statusCode(), response.body().asString());
        assertEquals("1", response.header("retry-after"));
        Map<String, Object> error = Envelopes.error("The service's database is temporarily unavailable. Please retry"
                + " your request shortly (request id " + response.header("x-request-id") + ").", "server_error", null,
                null);
        assertEquals(error, response.as(Map.class));
    }

    private void admin(String... statements) throws SQLException {
        try (Connection connection = TestDatabase.connect("postgres");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Terminates the backends whose commit waits for the (missing) synchronous standby, as a shutdown does. */
    private int terminateWaitingCommits() throws SQLException {
        try (Connection connection = TestDatabase.connect("postgres");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE wait_event = 'SyncRep'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
