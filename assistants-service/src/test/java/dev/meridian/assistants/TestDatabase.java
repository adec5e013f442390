package dev.meridian.assistants;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Connections of the tests that take the database away from the service, outside the service's pool: a pooled
 * connection may be one such a test closed, and it must not be in the pool when the test ends.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    /**
     * A connection, as the service's user (the test PostgreSQL's superuser), to the service's database or (for
     * {@code template1}) another one of the same server.
     */
    public static Connection connect(String database) throws SQLException {
        Config config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        return DriverManager.getConnection(url.replaceFirst("/postgres(\\?|$)", "/" + database + "$1"),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }
}
