package dev.coffer.server.iam;

/**
 * Where a policy is attached decides which elements it must and must not have: an identity
 * policy (inline, managed, session policy, permissions boundary) never names a Principal; a
 * resource-based policy (a secret's resource policy, a role's trust policy) must.
 */
public enum PolicyKind { IDENTITY, RESOURCE }
