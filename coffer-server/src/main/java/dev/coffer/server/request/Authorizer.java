package dev.coffer.server.request;

import dev.coffer.server.api.Operation;
import dev.coffer.server.iam.Principal;

/**
 * Decides whether a principal may call an operation. Throws AccessDeniedException, in
 * AWS's words, when it may not. The IAM policy evaluator is the second implementation.
 */
public interface Authorizer {
    void authorize(Principal principal, Operation<?, ?> operation);
}
