package dev.coffer.server.audit;

import dev.coffer.server.store.AuditRow;
import dev.coffer.server.store.Store;
import java.util.List;

/**
 * Builds the audit trail's lookup index off the request path. Appending an event touches only the end of
 * the events table; indexing it by secret, user, key, name and source means touching one index page per
 * distinct value, which per small group commit cost more than everything else a read does. So a scheduled
 * job enters the events committed since the index's watermark in batches of thousands, sorted by key, a
 * fraction of a second after they commit, and a value gets one entry per block of {@link #BLOCK} events it
 * appears in rather than one per event (a busy principal's thousand reads are a few entries). Lookups read the index up to the watermark and scan the short
 * tail after it, so they never miss an event. On PostgreSQL the watermark is locked per batch, so the
 * indexers of several nodes take turns instead of entering an event twice.
 */
final class AuditIndexer {
    private static final int BATCH = 5_000;
    /**
     * Events per block of the index: a value gets one entry per block it appears in. Larger blocks mean fewer
     * entries for common values, and longer range scans for a lookup of a value seen only at a block's two ends.
     */
    static final int BLOCK = 1_024;

    private final Store store;

    AuditIndexer(Store store) {
        this.store = store;
    }

    /** Indexes every event committed so far; returns how many. */
    long indexPending() {
        long total = 0;
        for (int n; (n = indexBatch()) > 0; ) total += n;
        return total;
    }

    /** Indexes the next batch of events; returns how many. */
    int indexBatch() {
        return store.write(tx -> {
            long upTo = tx.audit().lockIndexedUpTo();
            List<AuditRow> rows = tx.audit().pageToIndex(upTo, BATCH);
            tx.audit().index(rows, BLOCK);
            return rows.size();
        });
    }
}
