package dev.coffer.server.iam;

import dev.coffer.server.iam.Decision.Match;
import dev.coffer.server.iam.Decision.Outcome;
import dev.coffer.server.iam.Decision.PolicyType;
import dev.coffer.server.iam.PrincipalMatcher.Strength;
import java.util.ArrayList;
import java.util.List;

/**
 * AWS's policy evaluation logic, for one account's identity-based policies, permissions boundary,
 * session policies and the resource's resource-based policy (no Organizations SCPs/RCPs: Coffer
 * has none). Sources:
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html">Policy evaluation logic</a>,
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html">How AWS enforcement code logic evaluates requests</a>,
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html">Cross-account policy evaluation logic</a>,
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session">Session policies</a>,
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html">Permissions boundaries</a>,
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html">Principal</a>.
 *
 * <ol>
 *   <li>An applicable Deny in any policy is final (EXPLICIT_DENY).</li>
 *   <li>Same account: the request is allowed when
 *     <ul>
 *       <li>the resource policy names the caller exactly — the IAM user's ARN, the assumed-role
 *           session's ARN, or a web identity's provider — which no implicit deny in an identity
 *           policy, permissions boundary or session policy limits; or</li>
 *       <li>an identity-based policy allows, and the permissions boundary (if any) and a session
 *           policy (if any) allow too; or</li>
 *       <li>the resource policy allows the caller's role ARN or everyone ({@code "*"}), and the
 *           boundary and session policies (if any) allow — AWS: "resource-based policies that grant
 *           permissions to an IAM role ARN are limited by an implicit deny in a permissions boundary
 *           or session policy".</li>
 *     </ul>
 *     A resource policy naming only the account delegates to the account: it grants nothing by itself.</li>
 *   <li>Cross account: the identity side (identity ∩ boundary ∩ session) and the resource policy must
 *       both allow; here an account principal counts.</li>
 *   <li>Otherwise IMPLICIT_DENY, naming the kind of policy that failed.</li>
 * </ol>
 * Stateless and thread-safe.
 */
public final class PolicyEvaluator {

    public Decision evaluate(AccessRequest request, PolicySet policies) {
        Principal principal = request.principal();
        // Coffer's own jobs (purging, rotation) act as the service principal; like AWS's service-linked
        // work they are not subject to customer policies.
        if (principal.kind() == Principal.Kind.SERVICE) return new Decision(Outcome.ALLOW, List.of(), null, null);

        RequestContext ctx = new RequestContext(request.context());
        Hits identity = new Hits();
        for (NamedPolicy p : policies.identity()) identity.scan(p, request, ctx);
        Hits resource = new Hits();
        if (policies.resource() != null) resource.scan(policies.resource(), request, ctx);
        Hits boundary = new Hits();
        if (policies.boundary() != null) boundary.scan(policies.boundary(), request, ctx);
        Hits session = new Hits();
        for (NamedPolicy p : policies.session()) session.scan(p, request, ctx);

        PolicyType deniedBy = identity.denies != null ? PolicyType.IDENTITY
                : resource.denies != null ? PolicyType.RESOURCE
                : boundary.denies != null ? PolicyType.BOUNDARY
                : session.denies != null ? PolicyType.SESSION : null;
        if (deniedBy != null) {
            List<Match> deciding = new ArrayList<>();
            for (Hits h : new Hits[] {identity, resource, boundary, session}) if (h.denies != null) deciding.addAll(h.denies);
            return new Decision(Outcome.EXPLICIT_DENY, deciding, null, deniedBy);
        }

        boolean identityAllows = identity.allows != null;
        boolean boundaryAllows = policies.boundary() == null || boundary.allows != null;
        // A session issued with session policies is limited by them; if none reached us the caller lost
        // them, and we fail closed rather than hand the session its role's full permissions.
        boolean sessionLimited = !policies.session().isEmpty()
                || (principal.session() != null && principal.session().hasSessionPolicies());
        boolean sessionAllows = !sessionLimited || session.allows != null;
        boolean identitySide = identityAllows && boundaryAllows && sessionAllows;
        Strength named = resource.strongest;
        boolean sameAccount = principal.kind() == Principal.Kind.FEDERATED || "*".equals(request.resourceArn())
                || (principal.accountId() != null && principal.accountId().equals(request.resourceAccount()));

        if (sameAccount) {
            if (named == Strength.DIRECT) return allow(resource);
            if (identitySide) return allow(identity, boundary, session, resource);
            boolean resourceLimited = named == Strength.ROLE || named == Strength.EVERYONE;
            if (resourceLimited && boundaryAllows && sessionAllows) return allow(resource, boundary, session);
            if (!identityAllows && !resourceLimited) return implicit(PolicyType.IDENTITY);
            return implicit(!boundaryAllows ? PolicyType.BOUNDARY : PolicyType.SESSION);
        }
        if (!identitySide) {
            return implicit(!identityAllows ? PolicyType.IDENTITY : !boundaryAllows ? PolicyType.BOUNDARY : PolicyType.SESSION);
        }
        if (named == Strength.NONE) return implicit(PolicyType.RESOURCE);
        return allow(identity, boundary, session, resource);
    }

    private static Decision implicit(PolicyType missing) {
        return new Decision(Outcome.IMPLICIT_DENY, List.of(), missing, null);
    }

    private static Decision allow(Hits... hits) {
        List<Match> deciding = new ArrayList<>();
        for (Hits h : hits) if (h.allows != null) deciding.addAll(h.allows);
        return new Decision(Outcome.ALLOW, deciding, null, null);
    }

    /** The statements of one kind of policy that apply to the request. */
    private static final class Hits {
        List<Match> allows;
        List<Match> denies;
        /** For resource policies: how strongly an applicable Allow names the caller. */
        Strength strongest = Strength.NONE;

        void scan(NamedPolicy policy, AccessRequest request, RequestContext ctx) {
            for (PolicyStatement s : policy.document().candidates(request.action())) {
                Strength named = s.matchesPrincipal(request.principal());
                if (named == Strength.NONE) continue;
                if (!s.matchesResource(request.resourceArn(), ctx)) continue;
                if (!s.conditionsHold(ctx)) continue;
                Match m = new Match(policy.source(), s.index(), s.sid(), s.allows());
                if (s.allows()) {
                    if (allows == null) allows = new ArrayList<>(2);
                    allows.add(m);
                    if (named.ordinal() < strongest.ordinal()) strongest = named;
                } else {
                    if (denies == null) denies = new ArrayList<>(2);
                    denies.add(m);
                }
            }
        }
    }
}
