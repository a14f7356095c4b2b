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
 */
public record AccessTarget(String resourceArn, String resourceAccount, String resourcePolicy,
                           Map<String, List<String>> conditionKeys, boolean resourcePolicyRequired) {

    public AccessTarget {
        conditionKeys = Map.copyOf(conditionKeys);
    }

    public AccessTarget(String resourceArn, String resourceAccount, String resourcePolicy,
                        Map<String, List<String>> conditionKeys) {
        this(resourceArn, resourceAccount, resourcePolicy, conditionKeys, false);
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
