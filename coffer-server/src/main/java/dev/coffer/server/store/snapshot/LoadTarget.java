package dev.coffer.server.store.snapshot;

import dev.coffer.server.store.ConnectionStore;
import dev.coffer.server.store.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;
import org.sqlite.SQLiteDataSource;

/**
 * A database about to receive a whole store, by restore or by copy. It must be empty and not ahead of the content's
 * schema; it is migrated to exactly that schema (Flyway {@code target}), loaded in one transaction that is checked
 * — content digest, then the keyring — before it commits, and only then migrated to the newest schema.
 */
final class LoadTarget {
    /** Fills an open transaction of the target, returning the tables it loaded as the content describes them. */
    interface Filler {
        List<Table> fill(Connection c, Map<String, Table> targetTables) throws Exception;
    }

    private LoadTarget() {}

    /** Refuses, touching nothing, a target that cannot take content of {@code schemaVersion}. */
    static void check(Database target, String schemaVersion) {
        String known = latestKnownSchema();
        if (MigrationVersion.fromVersion(schemaVersion).compareTo(MigrationVersion.fromVersion(known)) > 0) {
            throw new SnapshotException("the content's schema (version " + schemaVersion + ") is newer than this Coffer knows ("
                    + known + "): use a Coffer at least as new as the one it came from");
        }
        if (!target.exists()) return;
        Migrations.Status status = target.schemaStatus();
        if (status.newer() != null) {
            throw new SnapshotException(target.describe() + " has a schema (version " + status.newer()
                    + ") newer than this Coffer knows; nothing was changed");
        }
        if (status.current() != null
                && MigrationVersion.fromVersion(status.current()).compareTo(MigrationVersion.fromVersion(schemaVersion)) > 0) {
            throw new SnapshotException(target.describe() + " is at schema version " + status.current() + ", ahead of the content's "
                    + schemaVersion + ": load into a new, empty database; nothing was changed");
        }
        List<String> nonEmpty = target.tablesWithRows();
        if (!nonEmpty.isEmpty()) {
            throw new SnapshotException(target.describe() + " is not empty (" + String.join(", ", nonEmpty)
                    + " hold rows): a restore or copy goes only into an empty database; nothing was changed");
        }
    }

    /** Migrates to {@code schemaVersion}, fills, verifies, commits; then migrates to the newest schema and returns what that applied. */
    static List<String> load(Database target, String schemaVersion, String expectedDigest, StoreCheck keyringCheck, Filler filler) {
        target.migrateTo(schemaVersion);
        try (Connection c = target.openForWrite()) {
            try {
                Map<String, Table> existing = new HashMap<>();
                for (Table t : Catalog.tables(c)) existing.put(t.name(), t);
                List<Table> loaded = filler.fill(c, existing);
                String digest = ContentDigest.of(c, target.engine(), loaded);
                if (!digest.equals(expectedDigest)) {
                    throw new SnapshotException("the loaded content's digest (" + digest + ") differs from the source's ("
                            + expectedDigest + "); nothing was committed");
                }
                keyringCheck.check(new ConnectionStore(c));
                c.commit();
            } catch (Exception | Error e) {
                c.rollback();
                throw e;
            }
        } catch (SnapshotException e) {
            throw e;
        } catch (SQLException e) {
            throw new SnapshotException("loading into " + target.describe() + " failed: " + e.getMessage()
                    + "; nothing was committed", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SnapshotException("loading into " + target.describe() + " failed: " + e.getMessage(), e);
        }
        List<String> after = target.migrateTo(null);
        if (!after.isEmpty()) opensAfterMigrating(target, keyringCheck, after);
        return after;
    }

    /** The newer migrations ran on restored data: the keyring must still open, as a starting node will ask. */
    private static void opensAfterMigrating(Database target, StoreCheck keyringCheck, List<String> applied) {
        try (Connection c = target.openSnapshot()) {
            try {
                keyringCheck.check(new ConnectionStore(c));
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new SnapshotException("loaded and migrated (" + String.join(", ", applied) + "), but reading "
                    + target.describe() + " back failed: " + e.getMessage(), e);
        }
    }

    /** Checks that the target's table has every column the content brings. */
    static Table matching(Map<String, Table> targetTables, Table table) {
        Table there = targetTables.get(table.name());
        if (there == null) throw new SnapshotException("the target has no table " + table.name() + " at this schema version");
        for (Column c : table.columns()) {
            if (!there.columns().contains(c)) {
                throw new SnapshotException("the target's table " + table.name() + " has no column " + c.name() + " of type "
                        + c.type());
            }
        }
        return there;
    }

    /** The newest schema version this build ships, asked of Flyway against an empty in-memory database. */
    static String latestKnownSchema() {
        SQLiteDataSource memory = new SQLiteDataSource();
        memory.setUrl("jdbc:sqlite::memory:");
        DataSource source = memory;
        return Migrations.status(source, Engine.SQLITE.blobType()).latestKnown();
    }
}
