package dev.coffer.server.authz;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.iam.AccessRequest;
import dev.coffer.server.iam.Decision;
import dev.coffer.server.iam.NamedPolicy;
import dev.coffer.server.iam.PolicyDocument;
import dev.coffer.server.iam.PolicyEvaluator;
import dev.coffer.server.iam.PolicyKind;
import dev.coffer.server.iam.PolicySet;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.identities.IdentityDirectory;
import dev.coffer.server.identities.IdentityDirectory.PrincipalPolicies;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers "may this principal perform this action on this target?" by gathering every policy
 * that bears on it — the caller's identity policies, boundary and session policies from the
 * {@link IdentityDirectory}, the target's resource policy — and the request context, then asking
 * the pure {@link PolicyEvaluator}. The request pipeline asks it for every call, and the access
 * analyses (who can read this secret?) ask it the same question for every principal, so the
 * answers can never disagree with what a request would get.
 *
 * <p>Resource policies are compiled once per distinct text and kept in a bounded cache: a
 * policy is data, and the same text always compiles to the same document.
 */
public final class AccessDecider {
    private final IdentityDirectory directory;
    private final PolicyEvaluator evaluator;
    private final Cache<String, Compiled> compiled = Caffeine.newBuilder().maximumSize(10_000).build();

    private record Compiled(PolicyDocument document) {}

    public AccessDecider(IdentityDirectory directory, PolicyEvaluator evaluator) {
        this.directory = directory;
        this.evaluator = evaluator;
    }

    public Decision decide(Principal principal, String action, AccessTarget target, RequestFacts facts) {
        if (principal.kind() == Principal.Kind.SERVICE) {
            return evaluator.evaluate(new AccessRequest(principal, action, target.resourceArn(), target.resourceAccount(),
                    Map.of()), new PolicySet(List.of(), null, List.of(), null));
        }
        // A web identity presenting its token has no identity policies: only the role's trust policy speaks.
        PrincipalPolicies mine = principal.kind() == Principal.Kind.FEDERATED
                ? new PrincipalPolicies(true, null, List.of(), null, List.of(), Map.of())
                : directory.policiesFor(principal);
        if (!mine.exists()) {
            // The user or role behind a still-valid key or session is gone: nothing of it allows anything.
            return new Decision(Decision.Outcome.IMPLICIT_DENY, List.of(), Decision.PolicyType.IDENTITY, null);
        }
        Map<String, List<String>> context = new LinkedHashMap<>(
                ContextKeys.of(principal, mine.userName(), mine.principalTags(), facts, target.resourceAccount()));
        context.putAll(target.conditionKeys());
        NamedPolicy resource = resourcePolicy(target);
        PolicySet policies = new PolicySet(mine.identity(), mine.boundary(), mine.session(), resource);
        Decision decision = evaluator.evaluate(new AccessRequest(principal, action, target.resourceArn(),
                target.resourceAccount(), context), policies);
        if (target.resourcePolicyRequired() && decision.allowed() && !decidedBy(decision, resource)) {
            // Identity policies alone never enter a role: its trust policy must name the caller or its account.
            return new Decision(Decision.Outcome.IMPLICIT_DENY, List.of(), Decision.PolicyType.RESOURCE, null);
        }
        return decision;
    }

    private static boolean decidedBy(Decision decision, NamedPolicy policy) {
        if (policy == null) return false;
        for (Decision.Match m : decision.deciding()) if (m.allow() && m.source().equals(policy.source())) return true;
        return false;
    }

    private NamedPolicy resourcePolicy(AccessTarget target) {
        if (target.resourcePolicy() == null) return null;
        PolicyDocument document = compiled.get(target.resourcePolicy(),
                text -> new Compiled(compile(text))).document();
        return document == null ? null : new NamedPolicy(target.resourceArn() + "#resource-policy", document);
    }

    /** A stored resource policy was checked when it was written; one that no longer parses grants nothing. */
    private static PolicyDocument compile(String text) {
        try {
            return PolicyDocument.parse(text, PolicyKind.RESOURCE);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
