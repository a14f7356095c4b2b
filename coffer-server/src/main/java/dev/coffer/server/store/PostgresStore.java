package dev.coffer.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL engine: the same repositories and migrations as SQLite, on pooled connections,
 * for several stateless nodes sharing one database.
 *
 * <p>Where SQLite has one writer, PostgreSQL runs writers concurrently, on this node and others,
 * and the repositories' read-then-write rules (one AWSCURRENT per secret, names unique per account,
 * at most two keys per user) must hold between them. Every unit of work therefore runs SERIALIZABLE:
 * PostgreSQL aborts one of two units whose interleaving no serial order could produce, and the
 * aborted one is run again from the start (units are plain database work, safe to repeat), so no
 * lost update and no in-process lock. A unit is acknowledged only after its commit returned.
 *
 * <p><b>Caches across nodes.</b> Each change domain has a database sequence. After a commit that
 * touched a domain, and before its writer is answered, the node advances that domain's sequence.
 * Before each request a node reads all the sequences in one round trip ({@link #catchUp()}) and moves
 * its counters for every domain whose sequence moved. So a write acknowledged by any node is seen
 * by every node's next request — which an asynchronous notification (LISTEN/NOTIFY) cannot promise:
 * it may arrive after that request. Sequences are not transactional, so advancing one never makes
 * writers wait on each other. A node that dies between its commit and the advance never acknowledged
 * that write; as a safety net every node also drops its caches at least every
 * {@link #SAFETY_NET_MILLIS} ms.
 *
 * <p><b>Losing the database.</b> Connections are checked out within {@link #CONNECT_TIMEOUT_MILLIS}
 * and statements give up after {@link #SOCKET_TIMEOUT_SECONDS}: a node that loses the database fails
 * requests quickly ({@link StoreException#unavailable()}, answered 503) instead of hanging, and
 * recovers by itself when the database is back (the pool replaces broken connections).
 */
public final class PostgresStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    /** SQLSTATEs of a transaction PostgreSQL aborted so that another could commit: retry it. */
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";
    /**
     * Writers racing on one row abort each other until one commits; with a randomized, growing pause
     * between attempts (full jitter, up to {@link #MAX_BACKOFF_MICROS}) they spread out instead of
     * colliding again in lockstep, so sixteen concurrent writers to one secret all get through.
     */
    private static final int MAX_ATTEMPTS = 40;
    private static final long BASE_BACKOFF_MICROS = 500;
    private static final long MAX_BACKOFF_MICROS = 50_000;
    static final long CONNECT_TIMEOUT_MILLIS = 2_000;
    static final int SOCKET_TIMEOUT_SECONDS = 10;
    static final long SAFETY_NET_MILLIS = 30_000;

    private static final ChangeDomain[] DOMAINS = ChangeDomain.values();
    private static final String READ_SEQUENCES;

    static {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (ChangeDomain domain : DOMAINS) {
            if (domain.ordinal() > 0) sql.append(", ");
            sql.append("(SELECT last_value FROM ").append(sequence(domain)).append(')');
        }
        READ_SEQUENCES = sql.toString();
    }

    private final HikariDataSource pool;
    private final ChangeCounters counters = new ChangeCounters();
    /** Each domain's sequence value as this node last accounted for it; -1 before the first look. */
    private final AtomicLongArray seen = new AtomicLongArray(DOMAINS.length);
    private volatile long lastSafetyNet = System.nanoTime();
    private volatile boolean closed;

    private PostgresStore(HikariDataSource pool) {
        this.pool = pool;
        for (int i = 0; i < DOMAINS.length; i++) seen.set(i, -1);
    }

    static String sequence(ChangeDomain domain) {
        return "coffer_changes_" + domain.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Opens the database at {@code jdbcUrl}, e.g. {@code jdbc:postgresql://127.0.0.1:5432/coffer};
     * password may be null (trust or peer auth). An empty database is initialized with the whole
     * schema; an initialized one must already be at this build's schema version (nodes never upgrade
     * a shared schema on their own: {@code coffer migrate} does, once, before the new version rolls out).
     */
    public static PostgresStore open(String jdbcUrl, String user, String password, int poolSize) {
        migrate(jdbcUrl, user, password, MigrationPolicy.INITIALIZE_ONLY);
        HikariConfig config = poolConfig(jdbcUrl, user, password, poolSize);
        config.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS));
        HikariDataSource pool = new HikariDataSource(config);
        try {
            createSequences(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new PostgresStore(pool);
    }

    /** What opening a database may do to its schema. */
    public enum MigrationPolicy {
        /** Create the schema in an empty database; refuse one at another version. */
        INITIALIZE_ONLY,
        /** Apply every pending migration ({@code coffer migrate}). */
        APPLY_PENDING
    }

    /**
     * Brings the schema up as {@code policy} allows, on a connection of its own without a statement
     * timeout (a migration of a large table may take longer than any request should).
     */
    public static Migrations.Outcome migrate(String jdbcUrl, String user, String password, MigrationPolicy policy) {
        // Flyway holds its lock on one connection while it migrates on another.
        try (HikariDataSource migrator = new HikariDataSource(poolConfig(jdbcUrl, user, password, 2))) {
            return Migrations.migrate(migrator, "BYTEA", policy == MigrationPolicy.APPLY_PENDING);
        }
    }

    private static HikariConfig poolConfig(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        if (password != null) config.setPassword(password);
        config.setPoolName("coffer-postgresql");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(poolSize, 2));
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
        config.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(CONNECT_TIMEOUT_MILLIS);
        Properties driver = new Properties();
        driver.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_MILLIS / 1_000));
        driver.setProperty("tcpKeepAlive", "true");
        config.setDataSourceProperties(driver);
        return config;
    }

    private static void createSequences(HikariDataSource pool) {
        try (Connection c = pool.getConnection(); var st = c.createStatement()) {
            for (ChangeDomain domain : DOMAINS) st.execute("CREATE SEQUENCE IF NOT EXISTS " + sequence(domain));
            c.commit();
        } catch (SQLException e) {
            throw new StoreException("cannot prepare the change sequences", e);
        }
    }

    @Override
    public <T> T read(Work<T> work) {
        ensureOpen();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                T value;
                try {
                    value = work.run(new Transaction(c));
                } catch (SQLException | RuntimeException | Error e) {
                    rollbackQuietly(c, e); // a broken connection must not hide why the work failed
                    throw e;
                }
                c.rollback(); // nothing was written; ends the snapshot
                return value;
            } catch (SQLException e) {
                StoreException failure = new StoreException("store read failed", e);
                // A read is safe to repeat: one more try rides over a pooled connection the database dropped
                // (a restart), but not over the pool's own timeout (the database is gone: answer now).
                if (!failure.unavailable() || e instanceof java.sql.SQLTransientConnectionException || attempt >= 2) {
                    throw failure;
                }
            }
        }
    }

    @Override
    public <T> T write(Work<T> work) {
        ensureOpen();
        for (int attempt = 1; ; attempt++) {
            if (attempt > 1) pauseBeforeRetry(attempt);
            try (Connection c = pool.getConnection()) {
                Transaction tx = new Transaction(c);
                try {
                    T value = work.run(tx);
                    c.commit();
                    // Before the writer is answered: see Store#changeCounter and the class comment.
                    committed(c, tx.touched());
                    return value;
                } catch (SQLException e) {
                    rollbackQuietly(c, e);
                    // Only an abort before commit is retried: a commit whose outcome is unknown (lost
                    // connection) is reported, and the client retries with its idempotency token.
                    if (!retryable(e) || attempt >= MAX_ATTEMPTS) throw new StoreException("store write failed", e);
                    log.debug("write attempt {} lost a serialization race; running it again", attempt);
                } catch (RuntimeException | Error e) {
                    rollbackQuietly(c, e);
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

    /** Waits a random time below a bound that doubles with each attempt (no connection is held meanwhile). */
    private static void pauseBeforeRetry(int attempt) {
        long bound = Math.min(MAX_BACKOFF_MICROS, BASE_BACKOFF_MICROS << Math.min(attempt - 2, 16));
        try {
            Thread.sleep(java.time.Duration.ofNanos(java.util.concurrent.ThreadLocalRandom.current().nextLong(bound) * 1_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a write", e);
        }
    }

    /** Moves this node's counters and the shared sequences of the domains a commit touched. */
    private void committed(Connection c, Set<ChangeDomain> touched) throws SQLException {
        if (touched.isEmpty()) return;
        counters.committed(touched, true);
        StringBuilder sql = new StringBuilder("SELECT ");
        ChangeDomain[] order = touched.toArray(ChangeDomain[]::new);
        for (int i = 0; i < order.length; i++) sql.append(i > 0 ? ", " : "").append("nextval('").append(sequence(order[i])).append("')");
        try (var st = c.createStatement(); var rs = st.executeQuery(sql.toString())) {
            rs.next();
            for (int i = 0; i < order.length; i++) {
                long value = rs.getLong(i + 1);
                // Our own advance needs no cache flush on our next catch-up, unless another node's slipped in between.
                seen.compareAndSet(order[i].ordinal(), value - 1, value);
            }
        }
        c.commit();
    }

    @Override
    public void catchUp() {
        ensureOpen();
        long now = System.nanoTime();
        if (now - lastSafetyNet > SAFETY_NET_MILLIS * 1_000_000) {
            lastSafetyNet = now;
            counters.everything();
        }
        long[] values = new long[DOMAINS.length];
        read(tx -> {
            try (var st = tx.connection().createStatement(); var rs = st.executeQuery(READ_SEQUENCES)) {
                rs.next();
                for (int i = 0; i < values.length; i++) values[i] = rs.getLong(i + 1);
            }
            return null;
        });
        EnumSet<ChangeDomain> moved = EnumSet.noneOf(ChangeDomain.class);
        for (ChangeDomain domain : DOMAINS) {
            long before = seen.getAndSet(domain.ordinal(), values[domain.ordinal()]);
            if (before != values[domain.ordinal()]) moved.add(domain);
        }
        if (!moved.isEmpty()) counters.committed(moved, true);
    }

    @Override
    public boolean healthy() {
        if (closed) return false;
        try (Connection c = pool.getConnection(); var st = c.createStatement()) {
            st.setQueryTimeout(2);
            st.execute("SELECT 1");
            c.rollback();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
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
        pool.close();
    }
}
