package dev.coffer.server.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh PostgreSQL databases for tests, on the server at {@code COFFER_TEST_POSTGRES} (default
 * {@code 127.0.0.1:5432}, user {@code postgres}, trust auth). Each test gets a database of its own,
 * dropped when it is done; whatever a test leaves behind is dropped when the JVM exits, so a failed
 * test does not leak databases into the shared server.
 *
 * <p>With the system property {@code coffer.test.storage=postgresql} every {@link TestServer} that
 * does not choose its own storage runs on PostgreSQL: its database's name is written into its data
 * directory ({@value #DATABASE_FILE}), so a restart on that directory reopens the same database, and
 * deleting the directory through {@link TestServer#deleteRecursively} drops it.
 *
 * <p>Without a reachable server a test is skipped, saying so — except under CI (CI=true), where
 * PostgreSQL is part of the machine and a missing server is a failure.
 */
public final class TestPostgres {
    public static final String SERVER = System.getenv().getOrDefault("COFFER_TEST_POSTGRES", "127.0.0.1:5432");
    public static final String USER = "postgres";
    /** The file in a test server's data directory naming the database it runs on. */
    static final String DATABASE_FILE = "test-postgresql-database";

    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(CREATED).forEach(TestPostgres::drop),
                "coffer-test-databases-drop"));
    }

    private TestPostgres() {}

    /** True when the API suite is asked to run on PostgreSQL ({@code -Dcoffer.test.storage=postgresql}). */
    public static boolean requested() {
        return "postgresql".equalsIgnoreCase(System.getProperty("coffer.test.storage", ""));
    }

    /** Creates an empty database named {@code prefix_<random>}; skips the calling test without a server (not under CI). */
    public static String createDatabase(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = admin(); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("PostgreSQL at " + SERVER + " is required under CI", e);
            }
            Assumptions.abort("SKIPPED: no PostgreSQL at " + SERVER + " (" + e.getMessage()
                    + "); start it or set COFFER_TEST_POSTGRES=HOST:PORT");
        }
        CREATED.add(name);
        return name;
    }

    /** Drops the database, closing whatever connections still use it. */
    public static void drop(String database) {
        try (Connection admin = admin(); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            CREATED.remove(database);
        } catch (SQLException e) {
            // Unreachable: nothing was created there.
        }
    }

    /** {@code --storage} for the database. */
    public static String storageUrl(String database) {
        return "postgresql://" + USER + "@" + SERVER + "/" + database;
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + SERVER + "/" + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, null);
    }

    /** The database a data directory's server runs on: the one recorded there, or a new one, recorded. */
    static String databaseFor(Path dataDir) {
        Path file = dataDir.resolve(DATABASE_FILE);
        try {
            if (Files.exists(file)) return Files.readString(file).strip();
            if (!Files.exists(dataDir)) {
                Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            String database = createDatabase("coffer_api");
            Files.writeString(file, database);
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops every database recorded in a data directory under {@code dir}, before the directory goes. */
    static void dropRecordedUnder(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path file : paths.filter(p -> p.getFileName().toString().equals(DATABASE_FILE)).toList()) {
                drop(Files.readString(file).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/postgres", USER, null);
    }
}
