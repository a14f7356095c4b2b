package dev.coffer.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded engine: one SQLite file in WAL mode with {@code synchronous=FULL}, so a
 * committed transaction is on disk before anyone is told it succeeded.
 *
 * <p>SQLite has one writer at a time, and each commit costs an fsync. Rather than let
 * callers queue on a lock and pay one fsync each, a single writer thread takes every
 * write that is waiting, runs each in its own savepoint inside one transaction, and
 * commits once (group commit). A unit that fails rolls back to its savepoint and fails
 * alone; if the commit fails, every unit in the batch fails. No caller is answered
 * before the commit that holds its write has returned. Reads run concurrently on a
 * small pool of read-only connections and never block the writer (WAL).
 */
public final class SqliteStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
    private static final int MAX_BATCH = 256;

    private final HikariDataSource readers;
    private final Connection writer;
    private final BlockingQueue<PendingWrite<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writerThread;
    private volatile boolean closed;
    private final ChangeCounters counters = new ChangeCounters();

    private record PendingWrite<T>(Work<T> work, CompletableFuture<T> result) {}

    private SqliteStore(Path file, int readPoolSize) throws SQLException {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        SQLiteDataSource writerSource = new SQLiteDataSource(config(false));
        writerSource.setUrl(url);
        Migrations.migrate(writerSource, "BLOB");

        writer = writerSource.getConnection();
        writer.setAutoCommit(false);

        SQLiteDataSource readerSource = new SQLiteDataSource(config(true));
        readerSource.setUrl(url);
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(readerSource);
        pool.setPoolName("coffer-sqlite-readers");
        pool.setMaximumPoolSize(readPoolSize);
        pool.setMinimumIdle(readPoolSize);
        pool.setAutoCommit(false);
        pool.setReadOnly(true); // must equal the SQLiteConfig flag: sqlite-jdbc refuses to change it once open
        readers = new HikariDataSource(pool);

        writerThread = Thread.ofPlatform().name("coffer-store-writer").daemon(true).start(this::writeLoop);
    }

    public static SqliteStore open(Path file) {
        try {
            return new SqliteStore(file, Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
        } catch (SQLException e) {
            throw new StoreException("cannot open the SQLite store at " + file, e);
        }
    }

    private static SQLiteConfig config(boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        // A unit's savepoint keeps the pages it changes in a statement journal; in a temporary file that is
        // a write(2) per page for every group commit, which is work lost unless the unit fails.
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(10_000);
        config.setReadOnly(readOnly);
        return config;
    }

    @Override
    public <T> T read(Work<T> work) {
        ensureOpen();
        try (Connection c = readers.getConnection()) {
            try {
                return work.run(new Transaction(c));
            } finally {
                c.rollback(); // ends the read snapshot; nothing was written
            }
        } catch (SQLException e) {
            throw new StoreException("store read failed", e);
        }
    }

    @Override
    public <T> T write(Work<T> work) {
        ensureOpen();
        CompletableFuture<T> result = new CompletableFuture<>();
        queue.add(new PendingWrite<>(work, result));
        try {
            return result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new StoreException("store write failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a write to commit", e);
        }
    }

    private void writeLoop() {
        List<PendingWrite<?>> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                PendingWrite<?> first = queue.take();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commitBatch(batch);
            } catch (InterruptedException e) {
                if (closed) break;
            } finally {
                batch.clear();
            }
        }
    }

    private void commitBatch(List<PendingWrite<?>> batch) {
        List<Runnable> onCommit = new ArrayList<>(batch.size());
        List<Runnable> onFailure = new ArrayList<>(batch.size());
        EnumSet<ChangeDomain> touched = EnumSet.noneOf(ChangeDomain.class);
        try {
            for (PendingWrite<?> pending : batch) {
                runInSavepoint(pending, new Transaction(writer), onCommit, onFailure, touched);
            }
            writer.commit();
            // Before anyone is answered: see Store#changeCounter.
            counters.committed(touched, !onCommit.isEmpty());
        } catch (SQLException | RuntimeException e) {
            log.error("group commit of {} writes failed; all are refused", batch.size(), e);
            try {
                writer.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            StoreException failure = new StoreException("store write failed", e);
            for (PendingWrite<?> pending : batch) pending.result().completeExceptionally(failure);
            return;
        }
        onCommit.forEach(Runnable::run);
        onFailure.forEach(Runnable::run);
    }

    private static <T> void runInSavepoint(PendingWrite<T> pending, Transaction tx, List<Runnable> onCommit,
                                           List<Runnable> onFailure, EnumSet<ChangeDomain> touched) throws SQLException {
        var connection = tx.connection();
        var savepoint = connection.setSavepoint();
        try {
            T value = pending.work().run(tx);
            connection.releaseSavepoint(savepoint);
            touched.addAll(tx.touched()); // a unit rolled back to its savepoint changed nothing
            onCommit.add(() -> pending.result().complete(value));
        } catch (Exception | Error e) {
            connection.rollback(savepoint);
            connection.releaseSavepoint(savepoint);
            Throwable failure = e instanceof SQLException ? new StoreException("store write failed", e) : e;
            onFailure.add(() -> pending.result().completeExceptionally(failure));
        }
    }

    @Override
    public long changeCounter() {
        return counters.all();
    }

    @Override
    public long changeCounter(ChangeDomain domain) {
        return counters.of(domain);
    }

    @Override
    public boolean healthy() {
        return !closed && writerThread.isAlive();
    }

    private void ensureOpen() {
        if (closed) throw new StoreException("the store is closed", null);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        writerThread.interrupt();
        try {
            writerThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.close();
        } catch (SQLException e) {
            log.warn("closing the SQLite writer failed", e);
        }
        readers.close();
    }
}
