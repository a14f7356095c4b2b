package dev.coffer.server.api;

import dev.coffer.server.iam.Principal;

/**
 * Everything a service needs to know about a call besides its typed request: who made
 * it, in which account and region (the region comes from the SigV4 credential scope, as
 * in AWS, and is the namespace of secrets), and ids for logs.
 */
public record CallContext(Principal principal, String accountId, String region, String requestId, String sourceIp,
                          String userAgent) {}
