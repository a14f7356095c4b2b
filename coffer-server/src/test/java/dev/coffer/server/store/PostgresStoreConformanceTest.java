package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;

/**
 * The store conformance suite on PostgreSQL, each test in a database of its own on the server at
 * {@code COFFER_TEST_POSTGRES} (default {@code 127.0.0.1:5432}, user {@code postgres}, trust auth).
 * Without a reachable server the suite is skipped, saying so — except under CI (CI=true), where
 * PostgreSQL is part of the machine and a missing server is a failure.
 */
class PostgresStoreConformanceTest extends StoreConformanceTest {
    static final String SERVER = System.getenv().getOrDefault("COFFER_TEST_POSTGRES", "127.0.0.1:5432");
    static final String USER = "postgres";
    private String database;

    @Override
    protected Store openStore() throws Exception {
        database = "coffer_conformance_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/postgres", USER, null);
             Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) throw e;
            Assumptions.abort("SKIPPED: no PostgreSQL at " + SERVER + " (" + e.getMessage() + "); set COFFER_TEST_POSTGRES");
        }
        return reopenStore();
    }

    @Override
    protected Store reopenStore() {
        return PostgresStore.open("jdbc:postgresql://" + SERVER + "/" + database, USER, null, 8);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (database == null) return;
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/postgres", USER, null);
             Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            // PostgreSQL was unreachable to begin with (the test was skipped); nothing to drop.
        }
    }
}
