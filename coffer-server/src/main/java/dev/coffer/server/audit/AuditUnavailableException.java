package dev.coffer.server.audit;

/** The audit trail could not make an event durable: the call it records must fail (fail closed). */
public final class AuditUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
