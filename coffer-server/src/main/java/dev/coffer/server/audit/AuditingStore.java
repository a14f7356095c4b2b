package dev.coffer.server.audit;

import dev.coffer.server.store.AuditRow;
import dev.coffer.server.store.ChangeDomain;
import dev.coffer.server.store.Store;

/**
 * The store as services see it: a write made while serving a call also appends that call's audit event,
 * in the same transaction, so a write and its event commit together or not at all. The unit first takes
 * the chain head (so appenders on several nodes queue rather than fork the chain), runs the service's
 * work, then appends the event as a success with the work's result as its response elements. If the unit
 * fails, nothing of it commits and the pipeline records the failure instead. Writes outside a call (jobs,
 * background bookkeeping) and further writes of a call whose event is already committed pass straight through.
 */
public final class AuditingStore implements Store {
    private final Store store;
    private final AuditChain chain;

    public AuditingStore(Store store, AuditChain chain) {
        this.store = store;
        this.chain = chain;
    }

    @Override
    public <T> T read(Work<T> work) {
        return store.read(work);
    }

    @Override
    public <T> T write(Work<T> work) {
        PendingEvent event = AuditContext.current();
        if (event == null || event.recorded()) return store.write(work);
        T value = store.write(tx -> {
            AuditRow.ChainHead head = chain.lock(tx);
            // The unit may run on the store's writer thread: make the event current there too, so the
            // service can name what it acted on (AuditContext.actedOnSecret) from inside the unit.
            PendingEvent outer = AuditContext.bind(event);
            T result;
            try {
                result = work.run(tx);
            } finally {
                AuditContext.restore(outer);
            }
            chain.append(tx, head, java.util.List.of(AuditChain.Written.of(event.succeeded(result))));
            return result;
        });
        event.markRecorded();
        return value;
    }

    @Override
    public long changeCounter() {
        return store.changeCounter();
    }

    @Override
    public long changeCounter(ChangeDomain domain) {
        return store.changeCounter(domain);
    }

    @Override
    public void catchUp() {
        store.catchUp();
    }

    @Override
    public boolean healthy() {
        return store.healthy();
    }

    @Override
    public void close() {
        store.close();
    }

}
