package dev.coffer.server.error;

import java.util.Objects;

/**
 * A typed, expected failure of a request: an AWS error code and the exact message AWS
 * would send. Thrown by services, the pipeline and codecs; turned into wire bytes once,
 * by the protocol codec.
 *
 * <p>The message is sent to the caller and may be logged, so it must never contain a
 * secret value, a key or a signature. No stack trace is captured: these are control
 * flow on the hot path, not bugs.
 */
public final class ServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ServiceException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code);
    }

    public ErrorCode code() {
        return code;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
