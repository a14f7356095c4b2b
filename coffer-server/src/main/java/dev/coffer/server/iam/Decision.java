package dev.coffer.server.iam;

import java.util.List;

/**
 * The evaluator's answer and why.
 *
 * @param outcome  allow, explicit deny, or implicit deny
 * @param deciding the statements that decided it: for an allow, the allowing statements; for an
 *                 explicit deny, the denying ones; empty for an implicit deny
 * @param missing  for an implicit deny, which kind of policy failed to allow (AWS names it in
 *                 AccessDenied messages); null otherwise
 * @param deniedBy for an explicit deny, the kind of policy that denied; null otherwise
 */
public record Decision(Outcome outcome, List<Match> deciding, PolicyType missing, PolicyType deniedBy) {

    public enum Outcome { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    /** The kinds of policy AWS names in its AccessDenied messages. */
    public enum PolicyType {
        IDENTITY("identity-based policy"), RESOURCE("resource-based policy"), SESSION("session policy"),
        BOUNDARY("permissions boundary");

        private final String words;

        PolicyType(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** One statement that matched the request. */
    public record Match(String source, int statementIndex, String sid, boolean allow) {}

    public Decision {
        deciding = List.copyOf(deciding);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }

    /**
     * AWS's AccessDenied message: {@code User: ARN is not authorized to perform: ACTION on resource: RES
     * because no identity-based policy allows the ACTION action}, or {@code … with an explicit deny in a
     * resource-based policy}. An action on no particular resource ({@code *}, such as ListSecrets) names none.
     */
    public String denialMessage(String principalArn, String action, String resource) {
        String head = "User: " + principalArn + " is not authorized to perform: " + action
                + ("*".equals(resource) ? "" : " on resource: " + resource);
        if (outcome == Outcome.EXPLICIT_DENY) {
            return head + " with an explicit deny in a" + article(deniedBy) + " " + deniedBy.words();
        }
        PolicyType kind = missing != null ? missing : PolicyType.IDENTITY;
        return head + " because no " + kind.words() + " allows the " + action + " action";
    }

    private static String article(PolicyType type) {
        return type == PolicyType.IDENTITY ? "n" : "";
    }
}
