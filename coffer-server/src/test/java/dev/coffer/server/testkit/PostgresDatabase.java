package dev.coffer.server.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database for one test on the server at {@code COFFER_TEST_POSTGRES} (default
 * {@code 127.0.0.1:5432}, user {@code postgres}, trust auth), dropped on close. Without a reachable server
 * the test is skipped, saying so — except under CI (CI=true), where PostgreSQL is part of the machine.
 */
public final class PostgresDatabase implements AutoCloseable {
    public static final String SERVER = System.getenv().getOrDefault("COFFER_TEST_POSTGRES", "127.0.0.1:5432");
    public static final String USER = "postgres";

    private final String name;

    private PostgresDatabase(String name) {
        this.name = name;
    }

    public static PostgresDatabase create(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = admin(); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException("no PostgreSQL under CI", e);
            Assumptions.abort("SKIPPED: no PostgreSQL at " + SERVER + " (" + e.getMessage() + "); set COFFER_TEST_POSTGRES");
        }
        return new PostgresDatabase(name);
    }

    public String name() {
        return name;
    }

    /** {@code --storage} for a node on this database, through {@code hostPort} (e.g. a proxy) or the server itself. */
    public String storageUrl(String hostPort) {
        return "postgresql://" + USER + "@" + hostPort + "/" + name;
    }

    public String storageUrl() {
        return storageUrl(SERVER);
    }

    /** The URL {@code --storage} takes for this database. */
    public String url() {
        return storageUrl();
    }

    /** Every table in the public schema with its row count, so a test can say "unchanged" exactly. */
    public java.util.List<String> contents() throws SQLException {
        java.util.List<String> tables = new java.util.ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                     + "ORDER BY table_name")) {
            while (rs.next()) tables.add(rs.getString(1));
        }
        java.util.List<String> contents = new java.util.ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String t : tables) {
                try (var rs = st.executeQuery("SELECT count(*) FROM \"" + t + "\"")) {
                    rs.next();
                    contents.add(t + "=" + rs.getLong(1));
                }
            }
        }
        return contents;
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + SERVER + "/" + name;
    }

    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl(), USER, null);
        c.setAutoCommit(true);
        return c;
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/postgres", USER, null);
    }

    @Override
    public void close() {
        try (Connection admin = admin(); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            // the server went away; the database goes with the machine
        }
    }
}
