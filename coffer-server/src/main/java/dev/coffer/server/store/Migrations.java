package dev.coffer.server.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The schema, applied by Flyway from {@code db/migration}. The SQL is shared by both
 * engines; the only engine-specific word is the binary column type, a placeholder.
 */
public final class Migrations {
    private Migrations() {}

    /**
     * What a migration run found and did.
     *
     * @param from    the schema version before (null: an empty database)
     * @param to      the schema version after
     * @param applied the versions applied, oldest first
     */
    public record Outcome(String from, String to, List<String> applied) {}

    /** Applies pending migrations (one node owns the database: SQLite); refuses a schema newer than this build. */
    public static Outcome migrate(DataSource dataSource, String blobType) {
        return migrate(dataSource, blobType, true);
    }

    /**
     * Creates the schema in an empty database, and in an initialized one applies pending migrations only if
     * {@code applyPending}; otherwise refuses to go on with a database this build would have to upgrade. A schema
     * newer than this build is always refused.
     */
    public static Outcome migrate(DataSource dataSource, String blobType, boolean applyPending) {
        Flyway flyway = flyway(dataSource, blobType, null);
        MigrationInfoService info = flyway.info();
        MigrationInfo[] future = info.all(i -> i.getState() == MigrationState.FUTURE_SUCCESS);
        if (future.length > 0) {
            throw new StoreException("The database schema (version " + future[future.length - 1].getVersion()
                    + ") is newer than this Coffer knows; upgrade Coffer before starting it on this database", null);
        }
        MigrationInfo current = info.current();
        MigrationInfo[] pending = info.pending();
        if (current != null && pending.length > 0 && !applyPending) {
            throw new StoreException("The database schema is at version " + current.getVersion() + " and this Coffer needs "
                    + "version " + pending[pending.length - 1].getVersion() + ": run `coffer migrate` against it once, "
                    + "then start the nodes", null);
        }
        flyway.migrate();
        MigrationInfo after = flyway.info().current();
        return new Outcome(current == null ? null : current.getVersion().toString(),
                after == null ? null : after.getVersion().toString(),
                Arrays.stream(pending).map(p -> p.getVersion().toString()).toList());
    }

    /**
     * Where a database's schema stands against this build, without changing anything.
     *
     * @param current     the version applied last, or null for a database without Coffer's schema
     * @param pending     versions this build would apply, in order
     * @param latestKnown the newest version this build ships
     * @param newer       a version the database has applied that this build does not know, or null
     */
    public record Status(String current, List<String> pending, String latestKnown, String newer) {}

    public static Status status(DataSource dataSource, String blobType) {
        MigrationInfo[] all = flyway(dataSource, blobType, null).info().all();
        List<String> pending = new ArrayList<>();
        String current = null;
        String latest = null;
        String newer = null;
        for (MigrationInfo info : all) {
            if (info.getVersion() == null) continue;
            String version = info.getVersion().getVersion();
            MigrationState state = info.getState();
            if (state == MigrationState.FUTURE_SUCCESS || state == MigrationState.FUTURE_FAILED) newer = version;
            else latest = version;
            if (state == MigrationState.PENDING) pending.add(version);
            if (state.isApplied() && !state.isFailed()) current = version;
        }
        return new Status(current, List.copyOf(pending), latest, newer);
    }

    /**
     * Applies pending migrations up to {@code targetVersion} (null: all of them) and returns the versions
     * applied, in order. Refuses, changing nothing, a database whose schema is newer than this build.
     */
    public static List<String> migrateTo(DataSource dataSource, String blobType, String targetVersion) {
        Status status = status(dataSource, blobType);
        if (status.newer() != null) {
            throw new StoreException("The database schema (version " + status.newer()
                    + ") is newer than this Coffer knows (" + status.latestKnown() + "); upgrade Coffer first", null);
        }
        MigrateResult result = flyway(dataSource, blobType, targetVersion).migrate();
        List<String> applied = new ArrayList<>();
        result.migrations.forEach(m -> applied.add(m.version));
        return List.copyOf(applied);
    }

    private static Flyway flyway(DataSource dataSource, String blobType, String targetVersion) {
        var config = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                // bigkey: a 64-bit primary key (on SQLite only INTEGER PRIMARY KEY is the rowid, with no second index);
                // clustered: a table stored in its primary key's order (SQLite's WITHOUT ROWID; PostgreSQL has one kind)
                .placeholders(Map.of("blob", blobType, "bigkey", "BLOB".equals(blobType) ? "INTEGER" : "BIGINT",
                        "clustered", "BLOB".equals(blobType) ? "WITHOUT ROWID" : ""))
                // Data moves that SQL cannot express (the audit batches are compressed) run as Java migrations, named here
                // rather than found by a classpath scan.
                .javaMigrations(new AuditEventsIntoBatches())
                .failOnMissingLocations(true);
        if (targetVersion != null) config.target(MigrationVersion.fromVersion(targetVersion));
        return config.load();
    }
}
