package dev.coffer.server.store;

/** The store failed (I/O, constraint, lost connection). Never carries row contents. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
