package dev.coffer.server.request;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.ApiRequest;
import dev.coffer.server.api.Operation;
import dev.coffer.server.iam.Principal;

/**
 * Decides whether a principal may call an operation on its target. Throws
 * AccessDeniedException, in AWS's words, when it may not. The request is given for the
 * global condition keys it carries (source address, transport).
 */
public interface Authorizer {
    void authorize(Principal principal, Operation<?, ?> operation, AccessTarget target, ApiRequest request);
}
