package dev.coffer.server.api;

import java.util.List;
import java.util.Map;

/**
 * What a call acts on, as authorization needs to see it: the resource's ARN and owning
 * account, the resource-based policy attached to it (a secret's resource policy, a role's
 * trust policy), and the service-specific condition keys the request supplies
 * ({@code secretsmanager:VersionStage}, {@code secretsmanager:ResourceTag/team}, …).
 *
 * @param resourcePolicy the resource-based policy JSON, or null when the resource has none
 * @param conditionKeys  condition keys by name; a key absent here is absent from the request
 * @param resourcePolicyRequired the resource policy must itself allow the caller (or its account),
 *                       whatever identity policies say: a role's trust policy decides who may become it
 * @param namedAs        the resource as the caller named it (a secret's name or partial ARN), which is how
 *                       AWS names it in AccessDenied messages; null to use the ARN
 */
public record AccessTarget(String resourceArn, String resourceAccount, String resourcePolicy,
                           Map<String, List<String>> conditionKeys, boolean resourcePolicyRequired, String namedAs) {

    public AccessTarget {
        conditionKeys = Map.copyOf(conditionKeys);
    }

    public AccessTarget(String resourceArn, String resourceAccount, String resourcePolicy,
                        Map<String, List<String>> conditionKeys) {
        this(resourceArn, resourceAccount, resourcePolicy, conditionKeys, false, null);
    }

    public AccessTarget(String resourceArn, String resourceAccount, String resourcePolicy,
                        Map<String, List<String>> conditionKeys, boolean resourcePolicyRequired) {
        this(resourceArn, resourceAccount, resourcePolicy, conditionKeys, resourcePolicyRequired, null);
    }

    /** The same target, named in messages as the caller named it. */
    public AccessTarget namedAs(String asGiven) {
        return new AccessTarget(resourceArn, resourceAccount, resourcePolicy, conditionKeys, resourcePolicyRequired, asGiven);
    }

    /** The resource as AWS names it in an AccessDenied message. */
    public String resourceInMessages() {
        return namedAs != null ? namedAs : resourceArn;
    }

    /** An action on no particular resource ({@code "*"}), such as ListSecrets. */
    public static AccessTarget anyResource(String accountId) {
        return new AccessTarget("*", accountId, null, Map.of());
    }

    /** Finds the target of one typed request. Runs after decoding, before the handler. */
    @FunctionalInterface
    public interface Resolver<Q> {
        AccessTarget resolve(CallContext context, Q request);
    }
}
