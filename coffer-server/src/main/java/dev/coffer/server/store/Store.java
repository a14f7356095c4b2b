package dev.coffer.server.store;

/**
 * Durable storage, as units of work. Every API call's writes run inside one
 * {@link #write} unit, which commits as one transaction before it returns: once it has
 * returned, the write survives a crash. {@link #read} units see only committed data.
 *
 * <p>Two engines implement it, SQLite (embedded default) and PostgreSQL (HA), sharing the
 * repositories and the portable SQL in {@link Transaction}; they differ only in how they
 * hand out connections and commit.
 */
public interface Store extends AutoCloseable {

    /** A unit of work against one transaction. Domain exceptions propagate unchanged. */
    @FunctionalInterface
    interface Work<T> {
        T run(Transaction tx) throws java.sql.SQLException;
    }

    <T> T read(Work<T> work);

    /** Runs the work in a transaction and returns only after it is durably committed. */
    <T> T write(Work<T> work);

    /**
     * A number that changes whenever committed data may have changed. It moves after a commit
     * and before that commit's writers are answered, so a cache entry read at counter {@code n}
     * is valid for as long as the counter still reads {@code n}: an acknowledged write is never
     * hidden by a cache that checks it.
     */
    long changeCounter();

    /**
     * Like {@link #changeCounter()}, but moves only for commits that wrote to {@code domain}
     * (as the repositories marked it), so a cache of identities is not flushed by secret writes.
     */
    long changeCounter(ChangeDomain domain);

    /**
     * Called before each request is served: makes every write that any node acknowledged before this
     * call move this node's change counters, so no cache serves what such a write replaced. SQLite has
     * one process writing, whose commits move the counters themselves; PostgreSQL asks the database.
     *
     * @throws StoreException (unavailable) when the database cannot be reached
     */
    default void catchUp() {}

    /** Whether the store answers now (readiness), within a short timeout; never throws. */
    boolean healthy();

    @Override
    void close();
}
