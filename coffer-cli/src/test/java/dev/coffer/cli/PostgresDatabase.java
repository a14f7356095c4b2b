package dev.coffer.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database for one test on the server at {@code COFFER_TEST_POSTGRES} (default 127.0.0.1:5432, user
 * postgres, trust auth), dropped on close. Without a reachable server the test is skipped, saying so — except under CI
 * (CI=true), where a missing server is a failure.
 */
final class PostgresDatabase implements AutoCloseable {
    static final String SERVER = System.getenv().getOrDefault("COFFER_TEST_POSTGRES", "127.0.0.1:5432");
    static final String USER = "postgres";

    private final String name;

    private PostgresDatabase(String name) {
        this.name = name;
    }

    static PostgresDatabase create(String prefix) throws SQLException {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = admin(); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) throw e;
            Assumptions.abort("SKIPPED: no PostgreSQL at " + SERVER + " (" + e.getMessage() + "); set COFFER_TEST_POSTGRES");
        }
        return new PostgresDatabase(name);
    }

    /** The URL {@code --storage} takes. */
    String url() {
        return "postgresql://" + USER + "@" + SERVER + "/" + name;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/" + name, USER, null);
    }

    /** Every table in the public schema with its row count, so a test can say "unchanged" exactly. */
    List<String> contents() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                     + "ORDER BY table_name")) {
            while (rs.next()) tables.add(rs.getString(1));
        }
        List<String> contents = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + t + "\"")) {
                    rs.next();
                    contents.add(t + "=" + rs.getLong(1));
                }
            }
        }
        return contents;
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/postgres", USER, null);
    }

    @Override
    public void close() {
        try (Connection admin = admin(); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            // best effort: the database has a random name
        }
    }
}
