package dev.coffer.server.iam;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One compiled statement of a {@link PolicyDocument}. The public methods describe it (for
 * explanations and tooling); matching is the evaluator's business and allocates nothing for
 * statements without policy variables.
 */
public final class PolicyStatement {
    private final int index;
    private final String sid;
    private final boolean allow;
    private final List<String> actions;
    private final boolean notAction;
    private final int[][] actionPatterns;
    private final List<String> resources;
    private final boolean notResource;
    private final PolicyText[] resourcePatterns;
    private final PrincipalMatcher principal;
    private final boolean notPrincipal;
    private final Condition[] conditions;
    private final Set<String> conditionKeys;

    PolicyStatement(int index, String sid, boolean allow, List<String> actions, boolean notAction, List<String> resources,
                    boolean notResource, boolean variables, PrincipalMatcher principal, boolean notPrincipal,
                    List<Condition> conditions) {
        this.index = index;
        this.sid = sid;
        this.allow = allow;
        this.actions = List.copyOf(actions);
        this.notAction = notAction;
        this.actionPatterns = actions.stream().map(a -> Wildcard.compile(a, true)).toArray(int[][]::new);
        this.resources = resources == null ? null : List.copyOf(resources);
        this.notResource = notResource;
        this.resourcePatterns = resources == null ? null
                : resources.stream().map(r -> PolicyText.of(r, variables)).toArray(PolicyText[]::new);
        this.principal = principal;
        this.notPrincipal = notPrincipal;
        this.conditions = conditions.toArray(Condition[]::new);
        Set<String> keys = new LinkedHashSet<>();
        for (Condition c : this.conditions) c.addKeys(keys);
        if (resourcePatterns != null) for (PolicyText t : resourcePatterns) t.addVariableKeys(keys);
        this.conditionKeys = Collections.unmodifiableSet(keys);
    }

    /** Position in the document, from 0. */
    public int index() {
        return index;
    }

    /** The Sid, or null. */
    public String sid() {
        return sid;
    }

    /** True for {@code "Effect": "Allow"}, false for Deny. */
    public boolean allows() {
        return allow;
    }

    /** The Action (or, when {@link #notAction()}, NotAction) values as written. */
    public List<String> actions() {
        return actions;
    }

    public boolean notAction() {
        return notAction;
    }

    /** The Resource (or NotResource) values as written; null when the statement has neither (resource policies only: the resource it is attached to). */
    public List<String> resources() {
        return resources;
    }

    public boolean notResource() {
        return notResource;
    }

    /** Condition keys this statement reads, in conditions and in policy variables, as written. */
    public Set<String> conditionKeys() {
        return conditionKeys;
    }

    /** Whether Action / NotAction admits the action (case-insensitive). */
    boolean matchesAction(String action) {
        boolean any = false;
        for (int[] p : actionPatterns) {
            if (Wildcard.matches(p, action, true)) {
                any = true;
                break;
            }
        }
        return any != notAction;
    }

    boolean matchesResource(String resource, RequestContext ctx) {
        if (resourcePatterns == null) return true;
        boolean any = false;
        for (PolicyText t : resourcePatterns) {
            int[] p = t.pattern(ctx);
            if (p != null && Wildcard.matchesArn(p, resource)) {
                any = true;
                break;
            }
        }
        return any != notResource;
    }

    /** How the caller is named by Principal / NotPrincipal; identity-policy statements name nobody and return DIRECT. */
    PrincipalMatcher.Strength matchesPrincipal(Principal p) {
        if (principal == null) return PrincipalMatcher.Strength.DIRECT;
        if (notPrincipal) return principal.excludes(p) ? PrincipalMatcher.Strength.NONE : PrincipalMatcher.Strength.EVERYONE;
        return principal.match(p);
    }

    boolean conditionsHold(RequestContext ctx) {
        for (Condition c : conditions) if (!c.test(ctx)) return false;
        return true;
    }

    @Override
    public String toString() {
        return "Statement[" + index + (sid == null ? "" : " " + sid) + " " + (allow ? "Allow" : "Deny") + " "
                + (notAction ? "NotAction" : "Action") + "=" + actions + " "
                + (notResource ? "NotResource" : "Resource") + "=" + (resources == null ? "(attached)" : resources)
                + (conditions.length == 0 ? "" : " conditions=" + Arrays.stream(conditions).map(Condition::key).toList()) + "]";
    }
}
