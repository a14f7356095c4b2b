package dev.coffer.server.request;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;

/**
 * Decides whether the caller of a call may perform an action (the operation's, or one the
 * operation needs on each resource it touches) on a target. Throws
 * AccessDeniedException, in AWS's words, when it may not. The call context carries the
 * principal and the request facts global condition keys test (source address, region);
 * {@code secureTransport} says whether TLS carried the request.
 */
public interface Authorizer {
    void authorize(CallContext call, String action, AccessTarget target, boolean secureTransport);
}
