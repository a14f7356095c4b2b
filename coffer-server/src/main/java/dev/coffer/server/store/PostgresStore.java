package dev.coffer.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL engine: the same repositories and migrations as SQLite, on pooled connections.
 *
 * <p>Where SQLite has one writer, PostgreSQL runs writers concurrently, and the repositories'
 * read-then-write rules (one AWSCURRENT per secret, names unique per account, at most two keys
 * per user) must hold between them. Every unit of work therefore runs SERIALIZABLE: PostgreSQL
 * aborts one of two units whose interleaving no serial order could produce, and the aborted one
 * is run again from the start (units are plain database work, safe to repeat), so no lost update
 * and no in-process lock. A unit is acknowledged only after its commit returned.
 *
 * <p>The change counters move after each commit on this node. Invalidation across several nodes
 * (LISTEN/NOTIFY) belongs to the multi-node work; this engine is correct for one node on PostgreSQL.
 */
public final class PostgresStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    /** SQLSTATEs of a transaction PostgreSQL aborted so that another could commit: retry it. */
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final int MAX_ATTEMPTS = 10;

    private final HikariDataSource pool;
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLongArray changesByDomain = new AtomicLongArray(ChangeDomain.values().length);
    private volatile boolean closed;

    private PostgresStore(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Opens (and migrates) the database at {@code jdbcUrl}, e.g.
     * {@code jdbc:postgresql://127.0.0.1:5432/coffer}; password may be null (trust or peer auth).
     */
    public static PostgresStore open(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        if (password != null) config.setPassword(password);
        config.setPoolName("coffer-postgresql");
        config.setMaximumPoolSize(poolSize);
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Migrations.migrate(pool, "BYTEA");
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new PostgresStore(pool);
    }

    @Override
    public <T> T read(Work<T> work) {
        ensureOpen();
        try (Connection c = pool.getConnection()) {
            try {
                return work.run(new Transaction(c));
            } finally {
                c.rollback(); // nothing was written; ends the snapshot
            }
        } catch (SQLException e) {
            throw new StoreException("store read failed", e);
        }
    }

    @Override
    public <T> T write(Work<T> work) {
        ensureOpen();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                Transaction tx = new Transaction(c);
                try {
                    T value = work.run(tx);
                    c.commit();
                    // Before the writer is answered: see Store#changeCounter.
                    for (ChangeDomain domain : tx.touched()) changesByDomain.incrementAndGet(domain.ordinal());
                    if (!tx.touched().isEmpty()) changes.incrementAndGet();
                    return value;
                } catch (SQLException e) {
                    c.rollback();
                    if (!retryable(e) || attempt >= MAX_ATTEMPTS) throw new StoreException("store write failed", e);
                    log.debug("write attempt {} lost a serialization race; running it again", attempt);
                } catch (RuntimeException | Error e) {
                    c.rollback();
                    if (e instanceof StoreException se && se.getCause() instanceof SQLException sql && retryable(sql)
                            && attempt < MAX_ATTEMPTS) {
                        continue;
                    }
                    throw e;
                }
            } catch (SQLException e) {
                throw new StoreException("store write failed", e);
            }
        }
    }

    private static boolean retryable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state)) return true;
            }
        }
        return false;
    }

    @Override
    public long changeCounter() {
        return changes.get();
    }

    @Override
    public long changeCounter(ChangeDomain domain) {
        return changesByDomain.get(domain.ordinal());
    }

    private void ensureOpen() {
        if (closed) throw new StoreException("the store is closed", null);
    }

    @Override
    public void close() {
        closed = true;
        pool.close();
    }
}
