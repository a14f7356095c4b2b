package dev.coffer.server.iam;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled Principal / NotPrincipal element (see AWS "AWS JSON policy elements: Principal").
 *
 * <ul>
 *   <li>{@code "*"}: everyone; {@code {"AWS": "*"}}: every IAM principal (users and role sessions).</li>
 *   <li>An account ({@code 123456789012} or {@code arn:aws:iam::123456789012:root}) "delegates authority
 *       to the account": it matches every user and role session of the account, but — as AWS says —
 *       an administrator of that account must still grant access with identity-based policies, so
 *       the evaluator does not let such a match grant on its own ({@link Strength#ACCOUNT}).</li>
 *   <li>A user ARN matches that user; an assumed-role session ARN that session
 *       ({@link Strength#DIRECT}: the caller named exactly).</li>
 *   <li>A role ARN matches every session of the role ({@link Strength#ROLE}).</li>
 *   <li>{@code {"Federated": provider}} matches a web identity presenting that provider's token;
 *       {@code {"Service": "x.amazonaws.com"}} that service principal.</li>
 * </ul>
 * Partial wildcards in a principal are not allowed (IAM: "Invalid principal in policy").
 */
final class PrincipalMatcher {
    /** How a matching principal was named, strongest first. */
    enum Strength { DIRECT, ROLE, EVERYONE, ACCOUNT, NONE }

    static final String INVALID = "Invalid principal in policy";

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern IAM_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):(root|user/.+|role/.+|federated-user/.+)");
    private static final Pattern SESSION_ARN = Pattern.compile("arn:aws[a-z-]*:sts::(\\d{12}):(assumed-role/[^/]+/.+|federated-user/.+)");
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?");

    private final boolean everyone;
    private final boolean everyAws;
    private final Set<String> accounts = new HashSet<>();
    private final Set<String> exact = new HashSet<>();
    private final Set<String> roles = new HashSet<>();
    private final Set<String> federated = new HashSet<>();
    private final Set<String> services = new HashSet<>();

    private PrincipalMatcher(boolean everyone, boolean everyAws) {
        this.everyone = everyone;
        this.everyAws = everyAws;
    }

    static PrincipalMatcher everyone() {
        return new PrincipalMatcher(true, false);
    }

    /** Compiles {@code {"AWS": […], "Federated": […], "Service": […]}}; throws MalformedPolicyException. */
    static PrincipalMatcher of(Map<String, List<String>> byType) {
        boolean everyAws = false;
        List<String> aws = byType.getOrDefault("AWS", List.of());
        for (String v : aws) everyAws |= v.equals("*");
        PrincipalMatcher m = new PrincipalMatcher(false, everyAws);
        for (Map.Entry<String, List<String>> e : byType.entrySet()) {
            for (String v : e.getValue()) {
                switch (e.getKey()) {
                    case "AWS" -> m.addAws(v);
                    case "Federated" -> {
                        if (v.isEmpty() || v.contains("*")) throw new MalformedPolicyException(INVALID);
                        m.federated.add(v);
                    }
                    case "Service" -> {
                        if (!SERVICE.matcher(v).matches()) throw new MalformedPolicyException(INVALID);
                        m.services.add(v);
                    }
                    case "CanonicalUser" -> {
                        // Accepted for S3-style policies; no Coffer principal has a canonical user id.
                        if (v.isEmpty()) throw new MalformedPolicyException(INVALID);
                    }
                    default -> throw new MalformedPolicyException(INVALID);
                }
            }
        }
        return m;
    }

    private void addAws(String v) {
        if (v.equals("*")) return;
        if (ACCOUNT.matcher(v).matches()) {
            accounts.add(v);
            return;
        }
        var iam = IAM_ARN.matcher(v);
        if (iam.matches() && !v.contains("*")) {
            String what = iam.group(2);
            if (what.equals("root")) accounts.add(iam.group(1));
            else if (what.startsWith("role/")) roles.add(v);
            else exact.add(v);
            return;
        }
        if (SESSION_ARN.matcher(v).matches() && !v.contains("*")) {
            exact.add(v);
            return;
        }
        throw new MalformedPolicyException(INVALID);
    }

    /** How the caller is named here (NONE when it is not). */
    Strength match(Principal p) {
        switch (p.kind()) {
            case USER, ASSUMED_ROLE -> {
                if (exact.contains(p.arn())) return Strength.DIRECT;
                if (p.kind() == Principal.Kind.ASSUMED_ROLE && p.session() != null && roles.contains(p.session().issuerArn())) {
                    return Strength.ROLE;
                }
                if (everyone || everyAws) return Strength.EVERYONE;
                return accounts.contains(p.accountId()) ? Strength.ACCOUNT : Strength.NONE;
            }
            case FEDERATED -> {
                if (federated.contains(p.arn())) return Strength.DIRECT;
                return everyone ? Strength.EVERYONE : Strength.NONE;
            }
            case SERVICE -> {
                if (services.contains(p.arn())) return Strength.DIRECT;
                return everyone ? Strength.EVERYONE : Strength.NONE;
            }
        }
        return Strength.NONE;
    }

    /**
     * NotPrincipal: the statement applies unless every identity the caller acts as is listed — a user
     * is its user ARN and its account; a role session its session ARN, its role ARN and its account.
     * This is why AWS documents that a Deny with NotPrincipal must list the account (and for a role
     * session the role and session ARNs) to exempt a caller.
     */
    boolean excludes(Principal p) {
        if (everyone) return true;
        switch (p.kind()) {
            case USER -> {
                return (everyAws || exact.contains(p.arn())) && (everyAws || accounts.contains(p.accountId()));
            }
            case ASSUMED_ROLE -> {
                if (everyAws) return true;
                boolean role = p.session() != null && roles.contains(p.session().issuerArn());
                return exact.contains(p.arn()) && role && accounts.contains(p.accountId());
            }
            case FEDERATED -> {
                return federated.contains(p.arn());
            }
            case SERVICE -> {
                return services.contains(p.arn());
            }
        }
        return false;
    }
}
