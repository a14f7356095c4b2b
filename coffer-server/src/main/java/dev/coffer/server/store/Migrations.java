package dev.coffer.server.store;

import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * The schema, applied by Flyway from {@code db/migration}. The SQL is shared by both
 * engines; the only engine-specific word is the binary column type, a placeholder.
 */
public final class Migrations {
    private Migrations() {}

    /** Applies pending migrations; refuses a database whose schema is newer than this build. */
    public static void migrate(DataSource dataSource, String blobType) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                // bigkey: a 64-bit primary key (on SQLite only INTEGER PRIMARY KEY is the rowid, with no second index);
                // clustered: a table stored in its primary key's order (SQLite's WITHOUT ROWID; PostgreSQL has one kind)
                .placeholders(Map.of("blob", blobType, "bigkey", "BLOB".equals(blobType) ? "INTEGER" : "BIGINT",
                        "clustered", "BLOB".equals(blobType) ? "WITHOUT ROWID" : ""))
                .failOnMissingLocations(true)
                .load();
        MigrationInfo[] future = flyway.info().all(info -> info.getState() == MigrationState.FUTURE_SUCCESS);
        if (future.length > 0) {
            throw new StoreException("The database schema (version " + future[future.length - 1].getVersion()
                    + ") is newer than this Coffer knows; upgrade Coffer before starting it on this database", null);
        }
        flyway.migrate();
    }
}
