package dev.coffer.server.audit;

import dev.coffer.server.store.AuditRow;
import dev.coffer.server.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the events of calls that write nothing (reads, denials, failures): one appender thread
 * takes every event waiting, appends them all in one write unit, and only after that unit committed tells
 * each caller. So a read is answered only once its event is durable, yet many reads share one commit and
 * one fsync, and the chain head is taken once per batch instead of once per read.
 *
 * <p>If a batch fails it is tried again event by event, so one event the store refuses cannot fail the
 * others; an event that still fails fails its call (fail closed). Nothing is kept in memory across a
 * failure: when the store takes writes again, the next batch succeeds and service resumes by itself.
 */
final class AuditAppender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditAppender.class);
    private static final int MAX_BATCH = 1024;
    /** A batch at least this large means load: the next one may wait for more events. */
    private static final int BUSY = 8;
    /** How many events make a batch worth committing without waiting further, and the longest wait for them. */
    private static final int FULL = 48;
    private static final long LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(1_000);

    private final Store store;
    private final AuditChain chain;
    private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    private record Waiting(AuditChain.Written event, CompletableFuture<Void> done) {}

    AuditAppender(Store store, AuditChain chain) {
        this.store = store;
        this.chain = chain;
        this.thread = Thread.ofPlatform().name("coffer-audit-appender").daemon(true).start(this::loop);
    }

    /** Returns once the event is committed; throws {@link AuditUnavailableException} if it could not be. */
    void append(CloudTrailEvent event) {
        if (closed) throw new AuditUnavailableException("the audit trail is closed", null);
        AuditChain.Written written = AuditChain.Written.of(event); // here, in parallel, not on the one writer
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Waiting(written, done));
        try {
            done.get();
        } catch (ExecutionException e) {
            throw new AuditUnavailableException("the audit store did not take the event", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("interrupted while the event was being committed", e);
        }
    }

    private void loop() {
        List<Waiting> batch = new ArrayList<>(MAX_BATCH);
        int last = 0;
        while (!closed || !queue.isEmpty()) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                if (last >= BUSY) gather(batch);
                last = batch.size();
                commit(batch);
            } catch (InterruptedException e) {
                if (closed) break;
            } finally {
                batch.clear();
            }
        }
        for (Waiting w; (w = queue.poll()) != null; ) w.done().completeExceptionally(new IllegalStateException("closed"));
    }

    /**
     * Under load, lets the batch fill a little more before committing: every commit costs an fsync and a batch row's
     * fixed costs whatever its size, and under load the events that arrive within the wait would otherwise make the
     * next commit anyway, one cycle later. Only when the last batch was already large (so never for a lone caller).
     * Interrupted (closing), it stops gathering and leaves the flag set: the batch in hand is still committed or failed,
     * so no caller is left waiting.
     */
    private void gather(List<Waiting> batch) {
        long deadline = System.nanoTime() + LINGER_NANOS;
        try {
            while (batch.size() < FULL) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                Waiting next = queue.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) return;
                batch.add(next);
                queue.drainTo(batch, MAX_BATCH - batch.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void commit(List<Waiting> batch) {
        try {
            write(batch);
            batch.forEach(w -> w.done().complete(null));
        } catch (RuntimeException | Error batchFailure) {
            if (batch.size() == 1) {
                log.error("the audit store refused an event; its call fails", batchFailure);
                batch.getFirst().done().completeExceptionally(batchFailure);
                return;
            }
            log.error("the audit store refused a batch of {} events; trying them one by one", batch.size(), batchFailure);
            for (Waiting w : batch) {
                try {
                    write(List.of(w));
                    w.done().complete(null);
                } catch (RuntimeException | Error e) {
                    w.done().completeExceptionally(e);
                }
            }
        }
    }

    private void write(List<Waiting> batch) {
        List<AuditChain.Written> events = new ArrayList<>(batch.size());
        for (Waiting w : batch) events.add(w.event());
        store.write(tx -> {
            AuditRow.ChainHead head = chain.lock(tx);
            chain.append(tx, head, events);
            return null;
        });
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
