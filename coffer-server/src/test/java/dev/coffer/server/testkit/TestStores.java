package dev.coffer.server.testkit;

import dev.coffer.server.store.PostgresStore;
import dev.coffer.server.store.SqliteStore;
import dev.coffer.server.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A store for tests that drive services in-process: the SQLite file in {@code dir}, or — when the
 * suite runs on PostgreSQL ({@link TestPostgres#requested()}) — a fresh database recorded in
 * {@code dir}, dropped when {@code dir} is deleted through {@link TestServer#deleteRecursively}.
 */
public final class TestStores {
    private TestStores() {}

    public static Store open(Path dir) {
        if (!TestPostgres.requested()) return SqliteStore.open(dir.resolve("coffer.db"));
        return PostgresStore.open(TestPostgres.jdbcUrl(TestPostgres.databaseFor(dir)), PostgresDatabase.USER, null, 4);
    }

    /** A plain JDBC connection (auto-commit) to the same database, for tests that edit rows behind Coffer's back. */
    public static Connection connect(Path dir) throws SQLException {
        if (!TestPostgres.requested()) return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("coffer.db"));
        return DriverManager.getConnection(TestPostgres.jdbcUrl(TestPostgres.databaseFor(dir)), PostgresDatabase.USER, null);
    }
}
