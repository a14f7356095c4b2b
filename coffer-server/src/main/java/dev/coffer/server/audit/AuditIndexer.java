package dev.coffer.server.audit;

import dev.coffer.server.store.AuditRow;
import dev.coffer.server.store.Store;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the audit trail's lookup index off the request path. Appending an event touches only the end of
 * the events table; indexing it by secret, user, key, name and source means touching one index page per
 * distinct value, which per small group commit cost more than everything else a read does. So a single
 * thread per node enters the events committed since the index's watermark in batches of thousands, sorted
 * by key, a fraction of a second after they commit. Lookups read the index up to the watermark and scan the
 * short tail after it, so they never miss an event. On PostgreSQL the watermark is locked per batch, so the
 * indexers of several nodes take turns instead of entering an event twice.
 */
final class AuditIndexer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditIndexer.class);
    private static final int BATCH = 5_000;

    private final Store store;
    private final Duration every;
    private final Thread thread;
    private volatile boolean closed;

    AuditIndexer(Store store, Duration every) {
        this.store = store;
        this.every = every;
        this.thread = Thread.ofPlatform().name("coffer-audit-indexer").daemon(true).start(this::loop);
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(every);
                while (!closed && indexBatch() == BATCH) {
                    // a backlog: keep going
                }
            } catch (InterruptedException e) {
                if (closed) return;
            } catch (RuntimeException e) {
                if (closed) return;
                log.warn("indexing the audit trail failed ({}); lookups scan the unindexed events until it succeeds",
                        e.toString());
            }
        }
    }

    /** Indexes the next batch of events; returns how many. */
    int indexBatch() {
        return store.write(tx -> {
            long upTo = tx.audit().lockIndexedUpTo();
            List<AuditRow> rows = tx.audit().pageToIndex(upTo, BATCH);
            tx.audit().index(rows);
            return rows.size();
        });
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
