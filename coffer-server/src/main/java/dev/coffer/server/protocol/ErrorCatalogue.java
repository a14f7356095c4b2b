package dev.coffer.server.protocol;

import dev.coffer.server.error.ErrorCode;

/** The HTTP status AWS answers each error code with. Everything not listed is a 400. */
public final class ErrorCatalogue {
    private ErrorCatalogue() {}

    public static int httpStatus(ErrorCode code) {
        return switch (code) {
            case InternalServiceError -> 500;
            case MissingAuthenticationTokenException -> 403;
            case RequestEntityTooLargeException -> 413;
            case ServiceUnavailable -> 503;
            default -> 400;
        };
    }
}
