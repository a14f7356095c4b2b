package dev.coffer.server.bootstrap;

import dev.coffer.server.store.Migrations;
import dev.coffer.server.store.StoreException;
import dev.coffer.server.store.snapshot.Database;
import java.nio.file.Files;
import java.util.List;

/**
 * {@code coffer migrate}: applies a store's pending schema migrations explicitly, so an operator upgrades the schema once
 * rather than leaving it to whichever node starts first. A schema newer than this build is refused, changing nothing.
 * An embedded data directory is locked meanwhile (no server may run on it).
 */
public final class SchemaMigration {
    /** The versions applied (empty when there was nothing to do) and the schema version now. */
    public record Result(String before, List<String> applied, String now) {}

    private SchemaMigration() {}

    public static Result run(StoreAddress address) {
        if (address.embedded()) {
            // A server creates the database and its root key together; a database alone would not start.
            if (!Files.exists(address.sqliteFile())) {
                throw new IllegalStateException("there is no Coffer database in " + address.dataDir()
                        + " (a server creates it on first start)");
            }
            DataDirectory locked = DataDirectory.open(address.dataDir());
            try {
                return migrate(address.database());
            } finally {
                locked.close();
            }
        }
        return migrate(address.database());
    }

    private static Result migrate(Database database) {
        Migrations.Status status = database.schemaStatus();
        if (status.newer() != null) {
            throw new StoreException("the schema of " + database.describe() + " (version " + status.newer()
                    + ") is newer than this Coffer knows (" + status.latestKnown() + "): upgrade Coffer; nothing was changed", null);
        }
        List<String> applied = database.migrateTo(null);
        return new Result(status.current(), applied, database.schemaStatus().current());
    }
}
