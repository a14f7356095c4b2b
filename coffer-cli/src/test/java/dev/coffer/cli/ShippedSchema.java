package dev.coffer.cli;

import dev.coffer.server.store.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.sqlite.SQLiteDataSource;

/**
 * The schema this build ships — its latest version and how many data tables it has — read off a database
 * migrated for the purpose, so tests that print them stay true when a migration is added.
 */
final class ShippedSchema {
    static final int LATEST;
    static final int TABLES;
    /** Every version shipped, in order (numbers may be skipped: one can be reserved for work merged later). */
    static final List<Integer> VERSIONS;

    static {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("coffer-schema-", ".db");
            SQLiteDataSource source = new SQLiteDataSource();
            source.setUrl("jdbc:sqlite:" + file);
            VERSIONS = Migrations.status(source, "BLOB").pending().stream().map(Integer::parseInt).toList();
            Migrations.migrate(source, "BLOB");
            LATEST = Integer.parseInt(Migrations.status(source, "BLOB").current());
            try (Connection c = source.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name <> 'flyway_schema_history'"
                            + " AND name NOT LIKE 'sqlite_%'")) {
                rs.next();
                TABLES = rs.getInt(1);
            }
            java.nio.file.Files.delete(file);
        } catch (java.io.IOException | SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ShippedSchema() {}

    /** "from, from+1, …, LATEST", as `coffer migrate` lists the versions it applied. */
    static String versionsFrom(int from) {
        List<String> versions = VERSIONS.stream().filter(v -> v >= from).map(String::valueOf).toList();
        return String.join(", ", versions);
    }
}
