package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The {@link Store} interface over one connection whose transaction someone else owns: reads run inside that
 * transaction (seeing what it sees, uncommitted rows included) and never end it; writes are refused. Lets code above
 * the store — the keyring — look at a snapshot being taken or a restore not yet committed, and change nothing.
 */
public final class ConnectionStore implements Store {
    private final Connection connection;

    public ConnectionStore(Connection connection) {
        this.connection = connection;
    }

    @Override
    public <T> T read(Work<T> work) {
        try {
            return work.run(new Transaction(connection));
        } catch (SQLException e) {
            throw new StoreException("store read failed", e);
        }
    }

    @Override
    public <T> T write(Work<T> work) {
        throw new StoreException("this view of the store is read-only: it would have to write (is the keyring incomplete?)",
                null);
    }

    @Override
    public long changeCounter() {
        return 0;
    }

    @Override
    public long changeCounter(ChangeDomain domain) {
        return 0;
    }

    @Override
    public boolean healthy() {
        return true; // it lives as long as the transaction it borrows
    }

    @Override
    public void close() {
        // the connection and its transaction belong to the caller
    }
}
