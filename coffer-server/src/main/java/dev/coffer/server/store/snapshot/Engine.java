package dev.coffer.server.store.snapshot;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** What differs between the two store engines for a snapshot: the binary type, how a read snapshot starts, text order. */
public enum Engine {
    SQLITE("sqlite", "BLOB"),
    POSTGRESQL("postgresql", "BYTEA");

    private final String wireName;
    private final String blobType;

    Engine(String wireName, String blobType) {
        this.wireName = wireName;
        this.blobType = blobType;
    }

    /** The name written into a snapshot's header. */
    public String wireName() {
        return wireName;
    }

    public static Engine fromWireName(String name) {
        for (Engine e : values()) if (e.wireName.equals(name)) return e;
        throw new SnapshotException("the snapshot names an unknown source engine: " + name);
    }

    /** The binary column type the migrations' {@code ${blob}} placeholder stands for. */
    public String blobType() {
        return blobType;
    }

    /**
     * Starts one read-only transaction that sees a single consistent state for as long as it is open, while writers go
     * on. PostgreSQL: SERIALIZABLE READ ONLY DEFERRABLE waits for a snapshot no concurrent serializable transaction can
     * invalidate, then never blocks or aborts. SQLite (WAL): a deferred read transaction keeps the snapshot of its first
     * read until it ends; the first statement here is that read.
     */
    void beginSnapshot(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            if (this == POSTGRESQL) {
                st.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE");
            } else {
                st.executeQuery("SELECT count(*) FROM sqlite_master").close();
            }
        }
    }

    /**
     * A sort term giving byte order of the UTF-8 text on both engines, so rows come out in one canonical order: SQLite
     * compares text with memcmp (BINARY), PostgreSQL by the database's collation unless told "C".
     */
    String orderTerm(Column column) {
        String quoted = Catalog.quote(column.name());
        if (column.type() != ColumnType.TEXT) return quoted;
        return this == POSTGRESQL ? quoted + " COLLATE \"C\"" : quoted + " COLLATE BINARY";
    }
}
