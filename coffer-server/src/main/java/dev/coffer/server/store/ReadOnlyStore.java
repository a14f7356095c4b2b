package dev.coffer.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * A store opened only to read, for tools that examine a database they must not change — above all the
 * audit verifier, which checks evidence: no migration is run, no writer is started, and the connection is
 * read-only (SQLite opened read-only; PostgreSQL in a read-only transaction). Writes are refused.
 */
public final class ReadOnlyStore implements Store {
    private final String url;
    private final Properties properties;
    private final boolean sqlite;

    private ReadOnlyStore(String url, Properties properties, boolean sqlite) {
        this.url = url;
        this.properties = properties;
        this.sqlite = sqlite;
    }

    /** The SQLite file of a data directory, opened read-only. */
    public static ReadOnlyStore sqlite(Path file) {
        if (!Files.isRegularFile(file)) throw new StoreException("no Coffer database at " + file, null);
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        return new ReadOnlyStore("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties(), true);
    }

    /** A PostgreSQL database, e.g. {@code jdbc:postgresql://127.0.0.1:5432/coffer}; password may be null. */
    public static ReadOnlyStore postgres(String jdbcUrl, String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        return new ReadOnlyStore(jdbcUrl, p, false);
    }

    @Override
    public <T> T read(Work<T> work) {
        try (Connection c = DriverManager.getConnection(url, properties)) {
            if (!sqlite) {
                c.setAutoCommit(false);
                c.setReadOnly(true);
                // One snapshot for the whole unit, as the engines' read units see one.
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try {
                return new ConnectionStore(c).read(work);
            } finally {
                if (!sqlite) c.rollback();
            }
        } catch (SQLException e) {
            throw new StoreException("store read failed", e);
        }
    }

    @Override
    public <T> T write(Work<T> work) {
        throw new StoreException("this store was opened read-only", null);
    }

    @Override
    public long changeCounter() {
        return 0;
    }

    @Override
    public long changeCounter(ChangeDomain domain) {
        return 0;
    }

    @Override
    public boolean healthy() {
        return true;
    }

    @Override
    public void close() {
        // nothing held between reads
    }
}
