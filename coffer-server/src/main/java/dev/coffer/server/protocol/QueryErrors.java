package dev.coffer.server.protocol;

import dev.coffer.server.error.ErrorCode;

/**
 * How the Query protocol spells the errors every AWS service shares, and their HTTP status.
 * A service's own errors (IAM's {@code NoSuchEntity} …) keep their names and take their status
 * from the model's error shapes; only the shared ones, named in {@link ErrorCode} as JSON
 * services name them, are renamed here, as IAM and STS answer them.
 */
final class QueryErrors {
    private QueryErrors() {}

    /** The {@code <Code>} for a code, in the Query protocol. */
    static String wireCode(ErrorCode code) {
        return switch (code) {
            case UnrecognizedClientException -> "InvalidClientTokenId";
            case InvalidSignatureException -> "SignatureDoesNotMatch";
            case MissingAuthenticationTokenException -> "MissingAuthenticationToken";
            case IncompleteSignatureException -> "IncompleteSignature";
            case ExpiredTokenException -> "ExpiredToken";
            case AccessDeniedException -> "AccessDenied";
            case ValidationException -> "ValidationError";
            case SerializationException -> "MalformedInput";
            case UnknownOperationException -> "InvalidAction";
            case InternalServiceError -> "InternalFailure";
            case ThrottlingException -> "Throttling";
            case RequestEntityTooLargeException -> "RequestEntityTooLarge";
            default -> code.wireName();
        };
    }

    /** The status of a shared error; null when the service model decides it. */
    static Integer sharedStatus(String wireCode) {
        return switch (wireCode) {
            case "InvalidClientTokenId", "SignatureDoesNotMatch", "MissingAuthenticationToken", "AccessDenied" -> 403;
            case "InternalFailure" -> 500;
            case "RequestEntityTooLarge" -> 413;
            case "ServiceUnavailable" -> 503;
            case "IncompleteSignature", "ExpiredToken", "ValidationError", "MalformedInput", "InvalidAction",
                 "Throttling" -> 400;
            default -> null;
        };
    }
}
