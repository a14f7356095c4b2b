package dev.coffer.server.audit;

import dev.coffer.server.store.AuditRow;
import dev.coffer.server.store.Store;
import dev.coffer.server.store.Transaction;
import java.sql.SQLException;
import java.util.List;

/**
 * The durable, tamper-evident audit trail: every API call and service event, in CloudTrail's record format,
 * appended to one hash chain in the store (an ordered log that exports, alerts and reports can read from).
 *
 * <p>Guarantees: an event is durable before the call it records is answered — a write's event commits in
 * the write's own transaction ({@link AuditingStore}), every other call's event in a group commit
 * ({@link AuditAppender}) that the call waits for; if the event cannot be committed, {@link #record} throws
 * and the call must fail (fail closed). Records never hold a secret value. The chain's integrity is
 * checked by {@link ChainVerifier} against digests signed by {@link ChainDigests}.
 */
public final class AuditLog implements AutoCloseable {
    private final AuditChain chain = new AuditChain();
    private final Store store;
    private final AuditAppender appender;
    private final AuditIndexer indexer;

    public AuditLog(Store store) {
        this.store = store;
        this.appender = new AuditAppender(store, chain);
        this.indexer = new AuditIndexer(store);
    }

    /**
     * Enters every event committed so far into the lookup index; returns how many. Run it often (a scheduled
     * job, every fraction of a second): lookups scan the events not yet indexed.
     */
    public long indexPending() {
        return indexer.indexPending();
    }

    /** The store services should be given: their writes carry their call's event. */
    public Store auditedStore() {
        return new AuditingStore(store, chain);
    }

    /**
     * Makes the call's event durable unless its write transaction already did; returns when it is committed.
     *
     * @throws AuditUnavailableException if the audit store did not take it: the call must fail
     */
    public void record(PendingEvent pending, CloudTrailEvent event) {
        if (pending.recorded()) return;
        appender.append(event);
        pending.markRecorded();
    }

    /**
     * Takes the chain head for this unit before it reads anything else, for a job that learns only from what it reads
     * whether it will append ({@link #recordIn} then appends after it). On PostgreSQL the head must be taken before the
     * unit's snapshot, or the unit would chain onto a head another node has already moved.
     */
    public void holdChain(Transaction tx) throws SQLException {
        chain.lock(tx);
    }

    /** Appends an event inside a unit of work (a job's own transaction: the event commits with what it records). */
    public void recordIn(Transaction tx, List<CloudTrailEvent> events) throws SQLException {
        if (events.isEmpty()) return;
        AuditRow.ChainHead head = chain.lock(tx);
        chain.append(tx, head, events.stream().map(AuditChain.Written::of).toList());
    }

    @Override
    public void close() {
        appender.close();
    }
}
