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
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The API suite on PostgreSQL: with the system property {@code coffer.test.storage=postgresql} every
 * {@link TestServer} that does not choose its own storage, and every in-process store from
 * {@link TestStores}, runs on a fresh database ({@link PostgresDatabase}) instead of SQLite. The
 * database's name is written into the data directory ({@value #DATABASE_FILE}), so a restart on that
 * directory reopens the same database, and deleting the directory through
 * {@link TestServer#deleteRecursively} drops it; whatever a test leaves behind is dropped when the
 * JVM exits, so a failed test does not leak databases into the shared server.
 */
public final class TestPostgres {
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

    /** Why PostgreSQL cannot be reached, or null when it can; asked once per JVM. */
    static String unreachable() {
        return Reachability.PROBLEM;
    }

    private static final class Reachability {
        static final String PROBLEM = probe();

        private static String probe() {
            try {
                DriverManager.getConnection("jdbc:postgresql://" + PostgresDatabase.SERVER + "/postgres",
                        PostgresDatabase.USER, null).close();
                return null;
            } catch (SQLException e) {
                return e.getMessage();
            }
        }
    }

    static String storageUrl(String database) {
        return "postgresql://" + PostgresDatabase.USER + "@" + PostgresDatabase.SERVER + "/" + database;
    }

    static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + PostgresDatabase.SERVER + "/" + database;
    }

    /**
     * The database a data directory's server runs on: the one recorded there, or a new one, recorded
     * (without a reachable PostgreSQL the calling test is skipped, saying so — except under CI).
     */
    static String databaseFor(Path dataDir) {
        Path file = dataDir.resolve(DATABASE_FILE);
        try {
            if (Files.exists(file)) return Files.readString(file).strip();
            if (!Files.exists(dataDir)) {
                Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            String database = PostgresDatabase.create("coffer_api").name();
            CREATED.add(database);
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

    private static void drop(String database) {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + PostgresDatabase.SERVER + "/postgres",
                PostgresDatabase.USER, null); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            CREATED.remove(database);
        } catch (SQLException e) {
            // Unreachable: nothing was created there.
        }
    }
}
