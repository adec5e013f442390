package dev.meridian.assistants.repository;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import dev.meridian.common.security.Projects;
import dev.meridian.testsupport.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Rows written before projects existed move to their org's default project: the schema is migrated in a scratch
 * PostgreSQL schema up to the last version without projects, filled, then migrated to the end.
 */
@QuarkusTest
class ProjectMigrationTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void existingRowsMoveToTheirOrgsDefaultProject() throws SQLException {
        String schema = "migration_" + Long.toString(System.nanoTime(), 36);
        Flyway before = Flyway.configure().dataSource(dataSource).schemas(schema).createSchemas(true)
                .locations("classpath:db/migration", "classpath:db/outbox").target("1.3").load();
        before.migrate();
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("set search_path to " + schema);
            try {
            sql.execute("insert into assistant (id, org_id, created_at, model, tools, metadata) values"
                    + " ('asst_old', 'org-legacy', 1, 'gpt-4o', '[]', '{}'), ('asst_other', 'org-second', 1, 'gpt-4o', '[]', '{}')");
            sql.execute("insert into thread (id, org_id, created_at, metadata) values ('thread_old', 'org-legacy', 1, '{}')");
            Flyway.configure().dataSource(dataSource).schemas(schema).locations("classpath:db/migration", "classpath:db/outbox")
                    .load().migrate();
            assertEquals(Map.of("asst_old", Projects.defaultFor("org-legacy"), "asst_other", Projects.defaultFor("org-second")),
                    projects(sql, "select id, project_id from assistant"));
            assertEquals(Map.of("thread_old", Projects.defaultFor("org-legacy")), projects(sql, "select id, project_id from thread"));
            } finally {
                // the connection goes back to the application's pool
                sql.execute("reset search_path");
                sql.execute("drop schema " + schema + " cascade");
            }
        }
    }

    @Test
    void aTokenWithoutProjectHeaderWorksInTheDefaultProject() {
        String org = "org-mig-" + Long.toString(System.nanoTime(), 36);
        String id = given().auth().oauth2(Tokens.member(org)).header("OpenAI-Beta", "assistants=v2").contentType(ContentType.JSON)
                .body(Map.of("model", "gpt-4o")).post("/v1/assistants").then().statusCode(200).extract().path("id");
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            assertEquals(Map.of(id, Projects.defaultFor(org)), projects(sql, "select id, project_id from assistant where id = '" + id + "'"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> projects(Statement sql, String query) throws SQLException {
        Map<String, String> found = new java.util.HashMap<>();
        try (ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) {
                found.put(rows.getString(1), rows.getString(2));
            }
        }
        return found;
    }
}
