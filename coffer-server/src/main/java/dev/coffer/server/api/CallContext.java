package dev.coffer.server.api;

import dev.coffer.server.iam.Principal;

/**
 * Everything a service needs to know about a call besides its typed request: who made
 * it, in which account and region (the region comes from the SigV4 credential scope, as
 * in AWS, and is the namespace of secrets), ids for logs, and the caller's further
 * {@link Permissions} for operations that act on several resources.
 */
public record CallContext(Principal principal, String accountId, String region, String requestId, String sourceIp,
                          String userAgent, Permissions permissions) {

    public CallContext(Principal principal, String accountId, String region, String requestId, String sourceIp,
                       String userAgent) {
        this(principal, accountId, region, requestId, sourceIp, userAgent, Permissions.NONE);
    }

    public CallContext withPermissions(Permissions checked) {
        return new CallContext(principal, accountId, region, requestId, sourceIp, userAgent, checked);
    }
}
