package dev.coffer.crypto;

import java.io.Serial;
import java.util.Objects;

/**
 * An Authorization header that is not a well-formed AWS SigV4 header, with the message AWS itself returns in that
 * case (so clients and their error handling see what they would see from AWS).
 *
 * <p>Guarantees: the message never contains secret material, but note that, like AWS's, some messages quote the
 * Authorization header (access key id, scope, signature); none of that is a secret, yet servers may prefer not to log
 * it verbatim. {@link #errorCode()} is the AWS error type this maps to.
 */
public final class MalformedAuthorizationException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** AWS's error type for a missing or unparseable part of the signature (HTTP 400). */
    public static final String INCOMPLETE_SIGNATURE = "IncompleteSignatureException";
    /** AWS's error type for a signature that is complete but cannot be valid, e.g. a wrong scope (HTTP 400). */
    public static final String INVALID_SIGNATURE = "InvalidSignatureException";

    private final String errorCode;

    MalformedAuthorizationException(String errorCode, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, true);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    /** {@value #INCOMPLETE_SIGNATURE} or {@value #INVALID_SIGNATURE}. */
    public String errorCode() {
        return errorCode;
    }
}
