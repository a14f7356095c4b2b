package dev.coffer.server.authz;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.iam.AccessRequest;
import dev.coffer.server.iam.Decision;
import dev.coffer.server.iam.Evaluation;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers "may this principal perform this action on this target?" by gathering every policy
 * that bears on it — the caller's identity policies, boundary and session policies from the
 * {@link IdentityDirectory}, the target's resource policy — and the request context, then asking
 * the pure {@link PolicyEvaluator}. The request pipeline asks it for every call, the access
 * analyses (who can read this secret?) ask it the same question for every principal, and IAM's
 * policy simulator asks it through {@link #evaluate}, so the answers can never disagree with what
 * a request would get.
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
        return evaluate(principal, action, target, facts, null, List.of(), null, Map.of()).decision();
    }

    /**
     * The same decision with what the policy simulator adds, every step shared with {@link #decide}:
     * {@code own} in place of the directory's policies for the principal (null: the directory's),
     * {@code extraIdentity} beside them, {@code boundary} in place of the principal's boundary (null:
     * its own), and {@code contextEntries} over the global keys. Answers with what was evaluated.
     */
    public Evaluation evaluate(Principal principal, String action, AccessTarget target, RequestFacts facts,
                               PrincipalPolicies own, List<NamedPolicy> extraIdentity, NamedPolicy boundary,
                               Map<String, List<String>> contextEntries) {
        if (principal.kind() == Principal.Kind.SERVICE) {
            AccessRequest request = new AccessRequest(principal, action, target.resourceArn(), target.resourceAccount(),
                    Map.of());
            PolicySet none = new PolicySet(List.of(), null, List.of(), null);
            return new Evaluation(request, none, evaluator.evaluate(request, none));
        }
        // A web identity presenting its token has no identity policies: only the role's trust policy speaks.
        PrincipalPolicies mine = own != null ? own : principal.kind() == Principal.Kind.FEDERATED
                ? new PrincipalPolicies(true, null, List.of(), null, List.of(), Map.of())
                : directory.policiesFor(principal);
        Map<String, List<String>> context = new LinkedHashMap<>(
                ContextKeys.of(principal, mine.userName(), mine.principalTags(), facts, target.resourceAccount()));
        context.putAll(target.conditionKeys());
        for (Map.Entry<String, List<String>> e : contextEntries.entrySet()) {
            // An entry replaces the key however either spells it (IAM compares key names case-insensitively).
            context.keySet().removeIf(k -> k.equalsIgnoreCase(e.getKey()));
            context.put(e.getKey(), e.getValue());
        }
        AccessRequest request = new AccessRequest(principal, action, target.resourceArn(), target.resourceAccount(), context);
        if (!mine.exists()) {
            // The user or role behind a still-valid key or session is gone: nothing of it allows anything.
            return new Evaluation(request, new PolicySet(List.of(), null, List.of(), null),
                    new Decision(Decision.Outcome.IMPLICIT_DENY, List.of(), Decision.PolicyType.IDENTITY, null));
        }
        NamedPolicy resource = resourcePolicy(target);
        List<NamedPolicy> identity = mine.identity();
        if (!extraIdentity.isEmpty()) {
            identity = new ArrayList<>(identity);
            identity.addAll(extraIdentity);
        }
        PolicySet policies = new PolicySet(identity, boundary != null ? boundary : mine.boundary(), mine.session(), resource);
        Decision decision = evaluator.evaluate(request, policies);
        if (target.resourcePolicyRequired() && decision.allowed() && !decidedBy(decision, resource)) {
            // Identity policies alone never enter a role: its trust policy must name the caller or its account.
            decision = new Decision(Decision.Outcome.IMPLICIT_DENY, List.of(), Decision.PolicyType.RESOURCE, null);
        }
        return new Evaluation(request, policies, decision);
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
