package dev.coffer.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
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
 * <p>The change counters move after each commit on this node, before its writer is answered. Every
 * commit also sends a NOTIFY (delivered only if it commits) naming the domains it touched; each node
 * LISTENs and moves its counters when another node's commit arrives, so its caches drop what that
 * write changed. The notification is asynchronous: another node sees a write once it arrives
 * (milliseconds), not at the instant of the acknowledgement — closing that window is part of the
 * multi-node work that remains (issue 5).
 */
public final class PostgresStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    /** SQLSTATEs of a transaction PostgreSQL aborted so that another could commit: retry it. */
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final int MAX_ATTEMPTS = 10;

    private static final String CHANNEL = "coffer_changes";

    private final HikariDataSource pool;
    private final String nodeId = java.util.UUID.randomUUID().toString();
    private final Thread listener;
    private final ChangeCounters counters = new ChangeCounters();
    private volatile boolean closed;

    private PostgresStore(HikariDataSource pool, String jdbcUrl, String user, String password) {
        this.pool = pool;
        this.listener = Thread.ofPlatform().name("coffer-store-listener").daemon(true)
                .start(() -> listen(jdbcUrl, user, password));
    }

    /** Moves this node's counters for every other node's commit, until the store closes. */
    private void listen(String jdbcUrl, String user, String password) {
        while (!closed) {
            java.util.Properties props = new java.util.Properties();
            props.setProperty("user", user);
            if (password != null) props.setProperty("password", password);
            try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, props);
                 java.sql.Statement st = c.createStatement()) {
                st.execute("LISTEN " + CHANNEL);
                // Whatever happened while not listening is unknown: treat everything as changed.
                counters.everything();
                org.postgresql.PGConnection pg = c.unwrap(org.postgresql.PGConnection.class);
                while (!closed) {
                    org.postgresql.PGNotification[] arrived = pg.getNotifications(500);
                    if (arrived == null) continue;
                    for (org.postgresql.PGNotification n : arrived) received(n.getParameter());
                }
            } catch (SQLException e) {
                if (closed) return;
                log.warn("listening for other nodes' changes failed ({}); reconnecting", e.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void received(String payload) {
        int bar = payload.indexOf('|');
        if (bar < 0 || payload.substring(0, bar).equals(nodeId)) return; // our own commit: counted already
        java.util.EnumSet<ChangeDomain> touched = java.util.EnumSet.noneOf(ChangeDomain.class);
        for (String name : payload.substring(bar + 1).split(",")) {
            for (ChangeDomain domain : ChangeDomain.values()) if (domain.name().equals(name)) touched.add(domain);
        }
        counters.committed(touched, !touched.isEmpty());
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
        return new PostgresStore(pool, jdbcUrl, user, password);
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
                    if (!tx.touched().isEmpty()) notifyOthers(c, tx.touched());
                    c.commit();
                    // Before the writer is answered: see Store#changeCounter.
                    counters.committed(tx.touched(), !tx.touched().isEmpty());
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

    private void notifyOthers(Connection c, java.util.Set<ChangeDomain> touched) throws SQLException {
        StringBuilder payload = new StringBuilder(nodeId).append('|');
        for (ChangeDomain domain : touched) payload.append(domain.name()).append(',');
        try (var ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, payload.toString());
            ps.execute();
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
        return counters.all();
    }

    @Override
    public long changeCounter(ChangeDomain domain) {
        return counters.of(domain);
    }

    private void ensureOpen() {
        if (closed) throw new StoreException("the store is closed", null);
    }

    @Override
    public void close() {
        closed = true;
        listener.interrupt();
        pool.close();
    }
}
