package dev.meridian.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (the pinned zonky binaries) for the test JVM, on a free port. It starts
 * once per JVM and stops when the JVM exits; Flyway creates each service's schema on it. Durability
 * settings are relaxed because a test database is thrown away.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres postgres;

    static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "200")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the test PostgreSQL", e);
            }
        }
        return postgres;
    }

    @Override
    public Map<String, String> start() {
        EmbeddedPostgres pg = postgres();
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.url", pg.getJdbcUrl("postgres", "postgres"),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public void stop() {
        // Shared by every test class of the JVM; zonky's shutdown hook stops the server.
    }
}
