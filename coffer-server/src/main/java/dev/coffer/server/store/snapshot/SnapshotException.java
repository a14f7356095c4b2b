package dev.coffer.server.store.snapshot;

/** A snapshot could not be taken, read or loaded. The message is for the operator and never carries a value. */
public final class SnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SnapshotException(String message) {
        super(message);
    }

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
