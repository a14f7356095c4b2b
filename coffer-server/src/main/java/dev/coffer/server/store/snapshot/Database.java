package dev.coffer.server.store.snapshot;

import dev.coffer.server.store.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A Coffer database addressed directly — for taking, loading and migrating it — rather than through a running
 * {@code Store}: the SQLite file of a data directory or a PostgreSQL database. Opens plain connections only while an
 * operation needs them.
 */
public final class Database {
    private final Engine engine;
    private final String description;
    private final Path sqliteFile;
    private final DataSource writable;
    private final DataSource readOnly;

    private Database(Engine engine, String description, Path sqliteFile, DataSource writable, DataSource readOnly) {
        this.engine = engine;
        this.description = description;
        this.sqliteFile = sqliteFile;
        this.writable = writable;
        this.readOnly = readOnly;
    }

    /** The SQLite file; opened read-only for a snapshot (beside a running server: WAL allows it), read-write to load or migrate. */
    public static Database sqlite(Path file) {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        SQLiteConfig rw = new SQLiteConfig();
        rw.setJournalMode(SQLiteConfig.JournalMode.WAL);
        rw.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        rw.enforceForeignKeys(true);
        rw.setBusyTimeout(10_000);
        SQLiteDataSource writer = new SQLiteDataSource(rw);
        writer.setUrl(url);
        SQLiteConfig ro = new SQLiteConfig();
        ro.setReadOnly(true);
        ro.setBusyTimeout(10_000);
        SQLiteDataSource reader = new SQLiteDataSource(ro);
        reader.setUrl(url);
        return new Database(Engine.SQLITE, file.toAbsolutePath().toString(), file, writer, reader);
    }

    /**
     * A PostgreSQL database, {@code jdbc:postgresql://HOST:PORT/DB[?params]}; password may be null (trust or peer auth).
     * {@code description} names it in messages (the operator's own URL), never with the password.
     */
    public static Database postgres(String jdbcUrl, String user, String password, String description) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(jdbcUrl);
        source.setUser(user);
        if (password != null) source.setPassword(password);
        return new Database(Engine.POSTGRESQL, description, null, source, source);
    }

    public Engine engine() {
        return engine;
    }

    /** Where it is, for messages; never a password. */
    public String describe() {
        return description;
    }

    /** False for a SQLite file that does not exist yet (asking anything else of it would create it). */
    public boolean exists() {
        return sqliteFile == null || Files.exists(sqliteFile);
    }

    /** Read-only: asking changes nothing (a read-write SQLite connection would checkpoint the WAL on close). */
    public Migrations.Status schemaStatus() {
        return Migrations.status(readOnly, engine.blobType());
    }

    /** Applies migrations up to {@code version} (null: all); returns those applied. */
    public List<String> migrateTo(String version) {
        return Migrations.migrateTo(writable, engine.blobType(), version);
    }

    /** The data tables that hold rows; empty for a database a snapshot may be loaded into. */
    public List<String> tablesWithRows() {
        if (!exists()) return List.of();
        try (Connection c = readOnly.getConnection()) {
            return Catalog.tablesWithRows(c);
        } catch (SQLException e) {
            throw new SnapshotException("cannot read " + describe() + ": " + e.getMessage(), e);
        }
    }

    /** A connection inside a read-only transaction that sees one consistent state until it is closed. */
    Connection openSnapshot() throws SQLException {
        Connection c = readOnly.getConnection();
        try {
            if (engine == Engine.POSTGRESQL) c.setReadOnly(true);
            engine.beginSnapshot(c);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** A connection with a transaction open for writing (foreign keys enforced on both engines). */
    Connection openForWrite() throws SQLException {
        Connection c = writable.getConnection();
        c.setAutoCommit(false);
        return c;
    }
}
