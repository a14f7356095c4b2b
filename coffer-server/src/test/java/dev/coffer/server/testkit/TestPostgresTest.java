package dev.coffer.server.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * The API suite's switch to PostgreSQL: a test server on it keeps nothing in SQLite, a restart on its
 * data directory reopens the same database, and deleting the directory drops the database.
 */
class TestPostgresTest {

    @Test
    void aServerRunsOnItsOwnDatabase_aRestartReopensIt_andDeletingTheDataDirectoryDropsIt() throws Exception {
        String before = System.getProperty("coffer.test.storage");
        System.setProperty("coffer.test.storage", "postgresql"); // as the api-on-postgresql execution sets it
        Path dir = Files.createTempDirectory("coffer-testkit-pg-");
        try {
            String database;
            try (TestServer first = TestServer.startOn(dir, c -> c, false)) {
                first.secretsManager().createSecret(r -> r.name("kept").secretString("fake-kept"));
                database = Files.readString(dir.resolve(TestPostgres.DATABASE_FILE)).strip();
                assertThat(exists(database)).as("database %s", database).isTrue();
                assertThat(dir.resolve("coffer.db")).as("no SQLite store").doesNotExist();
                assertThat(dir.resolve("root.key")).as("the root key stays in the data directory").isRegularFile();
            }
            try (TestServer again = TestServer.startOn(dir, c -> c, false)) {
                assertThat(again.secretsManager().getSecretValue(r -> r.secretId("kept")).secretString())
                        .isEqualTo("fake-kept");
            }
            TestServer.deleteRecursively(dir);
            assertThat(exists(database)).as("dropped with its data directory").isFalse();
        } finally {
            if (before == null) System.clearProperty("coffer.test.storage");
            else System.setProperty("coffer.test.storage", before);
            TestServer.deleteRecursively(dir);
        }
    }

    private static boolean exists(String database) throws Exception {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + PostgresDatabase.SERVER + "/postgres",
                PostgresDatabase.USER, null);
             PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
