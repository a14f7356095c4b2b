package dev.coffer.server.testkit;

import dev.coffer.server.store.PostgresStore;
import dev.coffer.server.store.SqliteStore;
import dev.coffer.server.store.Store;
import java.nio.file.Path;

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
}
