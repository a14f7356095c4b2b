package dev.coffer.server.iam;

/**
 * A policy document that is not valid IAM policy grammar. The message is the one IAM gives
 * (e.g. {@code Syntax errors in policy.}, {@code Policy document should not specify a principal.},
 * {@code Missing required field Principal}), so services can answer MalformedPolicyDocument with it.
 */
public final class MalformedPolicyException extends RuntimeException {
    public MalformedPolicyException(String message) {
        super(message);
    }
}
