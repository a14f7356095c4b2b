package dev.coffer.server.iam;

/** SKELETON: the policy-language work replaces the body. */
public final class PolicyEvaluator {
    public Decision evaluate(AccessRequest request, PolicySet policies) {
        throw new UnsupportedOperationException("skeleton");
    }
}
