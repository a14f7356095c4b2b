package dev.coffer.server.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** The store failed (I/O, constraint, lost connection). Never carries row contents. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the database could not be reached at all (no connection within the pool's timeout, a
     * connection lost, the server shutting down or starting up), as opposed to a statement that failed:
     * the caller may try again shortly, on this node or another.
     */
    public boolean unavailable() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) return true;
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // Class 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now.
                if (state.startsWith("08") || state.startsWith("57P")) return true;
            }
        }
        return false;
    }
}
