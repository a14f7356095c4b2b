package dev.coffer.server.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.authz.AccessDecider;
import dev.coffer.server.authz.RequestFacts;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.Decision;
import dev.coffer.server.iam.NamedPolicy;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.identities.IdentityDirectory;
import dev.coffer.server.identities.IdentityDirectory.PrincipalEntry;
import dev.coffer.server.identities.IdentityDirectory.PrincipalPolicies;
import dev.coffer.server.secrets.SecretsManagerService;
import dev.coffer.server.secrets.SecretsManagerService.SecretEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Access analyses over secrets: who can perform an action on a secret, what secrets a principal
 * can perform it on, and lint findings about risky grants. Every answer comes from the
 * {@link AccessDecider} — the same question, in the same words, that authorization asks for a
 * real request — so an analysis can never disagree with what a request would get.
 *
 * <p>Users are asked as themselves; a role is asked as a session of it with no session policy
 * ({@value #SESSION_NAME}). The request facts are those of a request that carries nothing optional
 * (no source address, no transport): {@link RequestFacts#none(Instant)}, with the region the secret
 * lives in, because a call on a secret is always signed for the secret's region. A grant whose
 * deciding statements have conditions is reported as conditional: whether it holds depends on the
 * request.
 */
public final class AccessAnalysis {
    public static final String DEFAULT_ACTION = "secretsmanager:GetSecretValue";
    public static final String SESSION_NAME = "coffer-access-analysis";
    private static final Pattern ASSUMED_ROLE = Pattern.compile("^arn:aws:sts::(\\d{12}):assumed-role/([^/]+)/.+$");
    private static final Set<String> ENVIRONMENT_PREFIXES = Set.of("prod", "production", "prd", "staging", "stage", "stg",
            "preprod", "uat", "qa", "test", "dev", "development", "sandbox");

    /** One statement that decided a grant. */
    public record DecidingStatement(String policySource, String sid, int statementIndex, boolean hasConditions) {}

    /** A principal allowed the action on the secret, and why. viaGroups names the user's groups whose policies granted it. */
    public record PrincipalGrant(String accountId, String principalArn, String name, String kind, List<String> viaGroups,
                                 boolean conditional, List<DecidingStatement> statements) {}

    public record WhoCanResult(String secretArn, String secretName, String action, List<PrincipalGrant> principals) {}

    /** A secret the principal is allowed the action on, and why. */
    public record SecretGrant(String accountId, String region, String secretArn, String name, List<String> viaGroups,
                              boolean conditional, List<DecidingStatement> statements) {}

    public record WhatCanResult(String principalArn, String action, List<SecretGrant> secrets) {}

    public enum Severity { INFO, WARNING, ERROR }

    /**
     * One lint finding.
     *
     * @param subject    the policy or principal the finding is about
     * @param principals the principals concerned (for a policy: the ones it is attached to)
     */
    public record Finding(String ruleId, Severity severity, String subject, List<String> principals, String message) {}

    /** A rule that could not run, and why (so a clean report is never mistaken for a checked one). */
    public record RuleNotRun(String ruleId, String reason) {}

    public record LintReport(List<Finding> findings, List<RuleNotRun> rulesNotRun) {}

    public static final String RULE_WILDCARD = "wildcard-grant";
    public static final String RULE_MULTI_ENVIRONMENT = "multi-environment-reader";
    public static final String RULE_UNATTACHED_POLICY = "unattached-managed-policy";
    public static final String RULE_STALE_KEY = "stale-access-key";

    private final IdentityDirectory directory;
    private final AccessDecider decider;
    private final SecretsManagerService secrets;
    private final IamInventory inventory;
    private final Clock clock;

    /**
     * @param inventory         managed policies and access keys for the lint rules that need them; null when
     *                          none is available (those rules are then reported as not run)
     */
    public AccessAnalysis(IdentityDirectory directory, AccessDecider decider, SecretsManagerService secrets,
                          IamInventory inventory, Clock clock) {
        this.directory = directory;
        this.decider = decider;
        this.secrets = secrets;
        this.inventory = inventory;
        this.clock = clock;
    }

    // ---- who can ---------------------------------------------------------------------------------

    /** Who can GetSecretValue the secret. */
    public WhoCanResult whoCan(String accountId, String region, String secretId) {
        return whoCan(accountId, region, secretId, DEFAULT_ACTION);
    }

    /** Every user and role allowed {@code action} (null: GetSecretValue) on the secret, with the statements that allowed it. */
    public WhoCanResult whoCan(String accountId, String region, String secretId, String action) {
        String act = action == null ? DEFAULT_ACTION : action;
        AccessTarget target = secrets.accessTarget(context(accountId, region), secretId);
        SecretEntry secret = existing(target, region)
                .orElseThrow(() -> new ServiceException(ErrorCode.ResourceNotFoundException,
                        "Secrets Manager can't find the specified secret."));
        Instant now = clock.instant();
        List<PrincipalGrant> grants = new ArrayList<>();
        for (PrincipalEntry entry : principals()) {
            Principal principal = asPrincipal(entry, now);
            Explained e = decide(principal, act, target, secret.region(), now);
            if (e != null) {
                grants.add(new PrincipalGrant(entry.accountId(), entry.arn(), entry.name(), entry.kind(),
                        viaGroups(entry, e.statements()), e.conditional(), e.statements()));
            }
        }
        return new WhoCanResult(secret.arn(), secret.name(), act, grants);
    }

    // ---- what can --------------------------------------------------------------------------------

    /** What secrets the principal can GetSecretValue. */
    public WhatCanResult whatCan(String principalArn) {
        return whatCan(principalArn, DEFAULT_ACTION);
    }

    /**
     * Every secret the principal (a user's or role's ARN; a role session's ARN stands for its role) is
     * allowed {@code action} on: the secrets of its own account in every region, and those of other accounts,
     * which only a resource policy can open to it.
     */
    public WhatCanResult whatCan(String principalArn, String action) {
        String act = action == null ? DEFAULT_ACTION : action;
        List<PrincipalEntry> everyone = principals();
        PrincipalEntry entry = find(everyone, principalArn).orElseThrow(() -> new ServiceException(
                ErrorCode.ResourceNotFoundException, "No user or role has the ARN " + principalArn + "."));
        return new WhatCanResult(entry.arn(), act, whatCan(entry, act, allSecrets(everyone, entry.accountId())));
    }

    private List<SecretGrant> whatCan(PrincipalEntry entry, String action, List<SecretEntry> candidates) {
        Instant now = clock.instant();
        Principal principal = asPrincipal(entry, now);
        List<SecretGrant> grants = new ArrayList<>();
        for (SecretEntry secret : candidates) {
            AccessTarget target = secrets.accessTarget(context(secret.accountId(), secret.region()), secret.arn());
            Explained e = decide(principal, action, target, secret.region(), now);
            if (e != null) {
                grants.add(new SecretGrant(secret.accountId(), secret.region(), secret.arn(), secret.name(),
                        viaGroups(entry, e.statements()), e.conditional(), e.statements()));
            }
        }
        return grants;
    }

    // ---- lint ------------------------------------------------------------------------------------

    /** Lint findings about the users, roles and policies of one account, most severe first. */
    public LintReport lint(String accountId) {
        List<PrincipalEntry> everyone = principals();
        List<PrincipalEntry> mine = everyone.stream().filter(e -> accountId.equals(e.accountId())).toList();
        Instant now = clock.instant();
        List<Finding> findings = new ArrayList<>();
        List<RuleNotRun> notRun = new ArrayList<>();

        Map<String, PrincipalPolicies> policies = new LinkedHashMap<>();
        for (PrincipalEntry entry : mine) policies.put(entry.arn(), directory.policiesFor(asPrincipal(entry, now)));

        findings.addAll(wildcardGrants(mine, policies));
        findings.addAll(multiEnvironmentReaders(mine, policies, allSecrets(everyone, accountId)));
        if (inventory == null) {
            String why = "the identity directory does not list managed policies and their attachments yet";
            notRun.add(new RuleNotRun(RULE_UNATTACHED_POLICY, why));
            notRun.add(new RuleNotRun(RULE_STALE_KEY, "the identity directory does not expose access keys and when they were last used yet"));
        } else {
            findings.addAll(InventoryRules.unattachedPolicies(inventory, accountId));
            findings.addAll(InventoryRules.staleAccessKeys(inventory, accountId, now));
        }
        findings.sort((a, b) -> b.severity().compareTo(a.severity()));
        return new LintReport(findings, notRun);
    }

    /**
     * The multi-environment-reader rule alone, as the hygiene report runs it: the account's users and roles
     * that can read secrets of more than one environment, among the secrets of {@code region} (null: every
     * region).
     */
    public List<Finding> multiEnvironmentReaders(String accountId, String region) {
        List<PrincipalEntry> everyone = principals();
        List<PrincipalEntry> mine = everyone.stream().filter(e -> accountId.equals(e.accountId())).toList();
        Instant now = clock.instant();
        Map<String, PrincipalPolicies> policies = new LinkedHashMap<>();
        for (PrincipalEntry entry : mine) policies.put(entry.arn(), directory.policiesFor(asPrincipal(entry, now)));
        List<SecretEntry> candidates = allSecrets(everyone, accountId).stream()
                .filter(s -> region == null || region.equals(s.region())).toList();
        return multiEnvironmentReaders(mine, policies, candidates);
    }

    private List<Finding> wildcardGrants(List<PrincipalEntry> entries, Map<String, PrincipalPolicies> policies) {
        Map<String, Set<String>> holders = new LinkedHashMap<>(); // "source#index" → principals
        Map<String, String> grantOf = new LinkedHashMap<>();
        Map<String, Boolean> conditionalOf = new LinkedHashMap<>();
        for (PrincipalEntry entry : entries) {
            PrincipalPolicies p = policies.get(entry.arn());
            if (!p.exists() || administrator(p)) continue;
            for (NamedPolicy policy : p.identity()) {
                List<JsonNode> statements = PolicyStatements.of(json(policy));
                for (int i = 0; i < statements.size(); i++) {
                    String grant = PolicyStatements.wildcardGrant(statements.get(i));
                    if (grant == null) continue;
                    String key = policy.source() + "\u0000" + i;
                    holders.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(entry.arn());
                    grantOf.put(key, grant);
                    JsonNode condition = statements.get(i).path("Condition");
                    conditionalOf.put(key, condition.isObject() && !condition.isEmpty());
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        holders.forEach((key, who) -> {
            String source = key.substring(0, key.indexOf('\u0000'));
            int index = Integer.parseInt(key.substring(key.indexOf('\u0000') + 1));
            String grant = grantOf.get(key);
            boolean broadest = !grant.toLowerCase(Locale.ROOT).startsWith("secretsmanager:get");
            out.add(new Finding(RULE_WILDCARD, broadest ? Severity.ERROR : Severity.WARNING, source, List.copyOf(who),
                    "Statement " + index + " allows " + grant + " on every resource" + (conditionalOf.get(key) ? " (under conditions)" : "")
                            + " to " + who.size() + " non-administrator principal" + (who.size() == 1 ? "" : "s") + "."));
        });
        return out;
    }

    private List<Finding> multiEnvironmentReaders(List<PrincipalEntry> entries, Map<String, PrincipalPolicies> policies,
                                                  List<SecretEntry> candidates) {
        List<Finding> out = new ArrayList<>();
        for (PrincipalEntry entry : entries) {
            PrincipalPolicies p = policies.get(entry.arn());
            if (!p.exists() || administrator(p)) continue;
            Set<String> environments = new TreeSet<>();
            for (SecretGrant grant : whatCan(entry, DEFAULT_ACTION, candidates)) {
                candidates.stream().filter(s -> s.arn().equals(grant.secretArn())).findFirst()
                        .flatMap(AccessAnalysis::environment).ifPresent(environments::add);
            }
            if (environments.size() > 1) {
                out.add(new Finding(RULE_MULTI_ENVIRONMENT, Severity.WARNING, entry.arn(), List.of(entry.arn()),
                        "The " + entry.kind() + " " + entry.name() + " can read secrets of " + environments.size()
                                + " environments (" + String.join(", ", environments) + ")."));
            }
        }
        return out;
    }

    /** AdministratorAccess (directly or through a group) makes a principal an administrator: broad grants are its job. */
    private static boolean administrator(PrincipalPolicies p) {
        return p.identity().stream().anyMatch(n -> n.source() != null
                && n.source().equals("arn:aws:iam::aws:policy/AdministratorAccess"));
    }

    /**
     * A secret's environment: its {@code environment} or {@code env} tag, else the first segment of its
     * name when that is an environment word ({@code prod/…}, {@code staging/…}, {@code dev/…}).
     */
    static Optional<String> environment(SecretEntry secret) {
        for (String key : List.of("environment", "env")) {
            for (Map.Entry<String, String> tag : secret.tags().entrySet()) {
                if (tag.getKey().equalsIgnoreCase(key) && tag.getValue() != null && !tag.getValue().isBlank()) {
                    return Optional.of(tag.getValue().strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        int slash = secret.name().indexOf('/');
        if (slash > 0) {
            String first = secret.name().substring(0, slash).toLowerCase(Locale.ROOT);
            if (ENVIRONMENT_PREFIXES.contains(first)) return Optional.of(first);
        }
        return Optional.empty();
    }

    // ---- the one question, explained ---------------------------------------------------------------

    private record Explained(boolean conditional, List<DecidingStatement> statements) {}

    /** Asks the decider; null when it does not allow, else the deciding statements and whether any has conditions. */
    private Explained decide(Principal principal, String action, AccessTarget target, String region, Instant now) {
        RequestFacts none = RequestFacts.none(now);
        Decision decision = decider.decide(principal, action, target,
                new RequestFacts(none.sourceIp(), none.secureTransport(), none.time(), region));
        if (!decision.allowed()) return null;
        Map<String, String> texts = policyTexts(principal, target);
        List<DecidingStatement> statements = new ArrayList<>();
        boolean conditional = false;
        for (Decision.Match match : decision.deciding()) {
            boolean conditions = PolicyStatements.hasConditions(texts.get(match.source()), match.statementIndex());
            conditional |= conditions;
            statements.add(new DecidingStatement(match.source(), match.sid(), match.statementIndex(), conditions));
        }
        return new Explained(conditional, List.copyOf(statements));
    }

    /** The text of every policy that bears on the principal and target, by its source name. */
    private Map<String, String> policyTexts(Principal principal, AccessTarget target) {
        Map<String, String> texts = new LinkedHashMap<>();
        PrincipalPolicies p = directory.policiesFor(principal);
        for (NamedPolicy n : p.identity()) texts.put(n.source(), json(n));
        if (p.boundary() != null) texts.put(p.boundary().source(), json(p.boundary()));
        for (NamedPolicy n : p.session()) texts.put(n.source(), json(n));
        if (target.resourcePolicy() != null) texts.put(target.resourceArn() + "#resource-policy", target.resourcePolicy());
        return texts;
    }

    private static String json(NamedPolicy policy) {
        return policy.document() == null ? null : policy.document().json();
    }

    /**
     * The user's groups whose policies decided the grant, read from the deciding statements' sources: a
     * group's policy is named under the group's ARN ({@code arn:aws:iam::ACCT:group/PATH/NAME#inline/P}).
     * A managed policy attached to a group is named by its own ARN and cannot be told apart from the same
     * policy attached to the user.
     */
    static List<String> viaGroups(PrincipalEntry entry, List<DecidingStatement> statements) {
        if (!"user".equals(entry.kind()) || entry.groups() == null || entry.groups().isEmpty()) return List.of();
        Set<String> groups = new LinkedHashSet<>();
        for (DecidingStatement s : statements) {
            String source = s.policySource() == null ? "" : s.policySource();
            int at = source.indexOf(":group/");
            if (!source.startsWith("arn:aws:iam::") || at < 0) continue;
            int hash = source.indexOf('#', at);
            String[] segments = source.substring(at + ":group/".length(), hash < 0 ? source.length() : hash).split("/");
            for (String segment : segments) {
                if (entry.groups().contains(segment)) groups.add(segment);
            }
        }
        return List.copyOf(groups);
    }

    // ---- principals and secrets --------------------------------------------------------------------

    private List<PrincipalEntry> principals() {
        return directory.principals().stream().filter(e -> "user".equals(e.kind()) || "role".equals(e.kind())).toList();
    }

    /** A user as itself; a role as a session of it with no session policy. */
    static Principal asPrincipal(PrincipalEntry entry, Instant now) {
        if ("role".equals(entry.kind())) {
            String arn = "arn:aws:sts::" + entry.accountId() + ":assumed-role/" + entry.name() + "/" + SESSION_NAME;
            Principal.Session session = new Principal.Session(entry.arn(), SESSION_NAME, now, now.plus(Duration.ofHours(1)),
                    Map.of(), Set.of(), null, List.of(), null, null);
            return new Principal(entry.accountId(), arn, null, null, Principal.Kind.ASSUMED_ROLE, session);
        }
        return new Principal(entry.accountId(), entry.arn(), null, null, Principal.Kind.USER);
    }

    private static Optional<PrincipalEntry> find(List<PrincipalEntry> everyone, String arn) {
        if (arn == null) return Optional.empty();
        Matcher session = ASSUMED_ROLE.matcher(arn);
        for (PrincipalEntry e : everyone) {
            if (e.arn().equals(arn)) return Optional.of(e);
            if (session.matches() && "role".equals(e.kind()) && e.accountId().equals(session.group(1))
                    && e.name().equals(session.group(2))) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The secret a target names, if it exists. */
    private Optional<SecretEntry> existing(AccessTarget target, String region) {
        return secrets.secretsIn(target.resourceAccount(), region).stream()
                .filter(s -> s.arn().equals(target.resourceArn())).findFirst();
    }

    /** The secrets of the principal's account and of every other account that has users or roles, in every region. */
    private List<SecretEntry> allSecrets(List<PrincipalEntry> everyone, String ownAccount) {
        Set<String> accounts = new LinkedHashSet<>();
        accounts.add(ownAccount);
        for (PrincipalEntry e : everyone) accounts.add(e.accountId());
        List<SecretEntry> out = new ArrayList<>();
        for (String account : accounts) {
            out.addAll(secrets.secretsOf(account));
        }
        return out;
    }

    private static CallContext context(String accountId, String region) {
        return new CallContext(null, accountId, region, "access-analysis", null, null);
    }
}
