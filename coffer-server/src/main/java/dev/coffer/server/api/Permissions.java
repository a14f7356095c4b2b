package dev.coffer.server.api;

import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;

/**
 * Lets a service ask, in the middle of a call, whether the caller may also perform another action
 * on another resource — as AWS does for BatchGetSecretValue, which needs GetSecretValue on every
 * secret it returns. The pipeline supplies it, backed by the same authorizer as the call itself.
 */
@FunctionalInterface
public interface Permissions {

    /** Throws AccessDeniedException, in AWS's words, unless the caller may perform {@code action} on {@code target}. */
    void require(String action, AccessTarget target);

    /** For contexts built outside the pipeline: nothing is allowed that would need a further decision. */
    Permissions NONE = (action, target) -> {
        throw new ServiceException(ErrorCode.AccessDeniedException, "Not authorized to perform: " + action + " on resource: "
                + target.resourceArn());
    };
}
