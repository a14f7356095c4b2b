package dev.coffer.server.identities;

import static dev.coffer.server.identities.IamSupport.noSuchEntity;
import static dev.coffer.server.identities.IamSupport.op;
import static dev.coffer.server.identities.IamSupport.pageInOrder;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.Decision;
import dev.coffer.server.iam.Evaluation;
import dev.coffer.server.iam.MalformedPolicyException;
import dev.coffer.server.iam.NamedPolicy;
import dev.coffer.server.iam.PolicyDocument;
import dev.coffer.server.iam.PolicyKind;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.identities.IamMessages.ContextEntry;
import dev.coffer.server.identities.IamMessages.EvaluationResult;
import dev.coffer.server.identities.IamMessages.PermissionsBoundaryDecisionDetail;
import dev.coffer.server.identities.IamMessages.ResourceSpecificResult;
import dev.coffer.server.identities.IamMessages.SimulateCustomPolicyRequest;
import dev.coffer.server.identities.IamMessages.SimulatePolicyResponse;
import dev.coffer.server.identities.IamMessages.SimulatePrincipalPolicyRequest;
import dev.coffer.server.identities.IamMessages.Statement;
import dev.coffer.server.identities.IdentityDirectory.PrincipalPolicies;
import dev.coffer.server.store.IdentityRepository.GroupRow;
import dev.coffer.server.store.IdentityRepository.RoleRow;
import dev.coffer.server.store.IdentityRepository.UserRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * IAM's policy simulator: SimulatePrincipalPolicy (a user's, group's or role's policies, with
 * extra policies given inline) and SimulateCustomPolicy (only policies given inline). Every
 * answer is one evaluation by the same access decider the request pipeline asks
 * ({@link IamService.SimulationDecider}, wired to {@code authz.AccessDecider#evaluate}), so the simulator can never
 * disagree with what a request would get; this class only gathers the inputs and reports the
 * decision, its matched statements and the condition keys the deciding policies read that the
 * simulated request lacked.
 */
final class IamPolicySimulator {
    private static final Map<String, List<String>> NO_KEYS = Map.of();

    private final IamSupport iam;
    private final IdentityDirectory directory;
    private final IamService.SimulationDecider evaluator;

    IamPolicySimulator(IamSupport iam, IdentityDirectory directory, IamService.SimulationDecider evaluator) {
        this.iam = iam;
        this.directory = directory;
        this.evaluator = evaluator;
    }

    List<Operation<?, ?>> operations() {
        return List.of(
                op("SimulatePrincipalPolicy", SimulatePrincipalPolicyRequest.class, true, this::simulatePrincipalPolicy,
                        (c, r) -> new AccessTarget(r.PolicySourceArn() == null ? "*" : r.PolicySourceArn(), c.accountId(),
                                null, NO_KEYS)),
                op("SimulateCustomPolicy", SimulateCustomPolicyRequest.class, true, this::simulateCustomPolicy,
                        (c, r) -> AccessTarget.anyResource(c.accountId())));
    }

    /** Who the simulated policies belong to, as the decider sees them. */
    private record Source(Principal principal, PrincipalPolicies policies, boolean user) {}

    SimulatePolicyResponse simulatePrincipalPolicy(CallContext ctx, SimulatePrincipalPolicyRequest req) {
        Source source = source(ctx, req.PolicySourceArn());
        if (req.ResourcePolicy() != null && req.CallerArn() == null && !source.user()) {
            throw invalid("CallerArn is required when a ResourcePolicy is given and the PolicySourceArn is not an IAM user.");
        }
        Principal caller = req.CallerArn() != null ? caller(ctx, req.CallerArn()) : source.principal();
        return simulate(ctx, caller, source.policies(), req.PolicyInputList(), req.PermissionsBoundaryPolicyInputList(),
                req.ActionNames(), req.ResourceArns(), req.ResourcePolicy(), req.ResourceOwner(), req.ContextEntries(),
                req.MaxItems(), req.Marker());
    }

    SimulatePolicyResponse simulateCustomPolicy(CallContext ctx, SimulateCustomPolicyRequest req) {
        if (req.PolicyInputList() == null || req.PolicyInputList().isEmpty()) {
            throw invalid("PolicyInputList must contain at least one policy.");
        }
        if (req.ResourcePolicy() != null && req.CallerArn() == null) {
            throw invalid("CallerArn is required when a ResourcePolicy is given.");
        }
        Principal caller = req.CallerArn() != null ? caller(ctx, req.CallerArn())
                // An anonymous principal of the caller's account: only the policies given speak for it.
                : new Principal(ctx.accountId(), "arn:aws:iam::" + ctx.accountId() + ":user/simulated-caller",
                        "simulated-caller", null, Principal.Kind.USER);
        PrincipalPolicies none = new PrincipalPolicies(true, null, List.of(), null, List.of(), Map.of());
        return simulate(ctx, caller, none, req.PolicyInputList(), req.PermissionsBoundaryPolicyInputList(), req.ActionNames(),
                req.ResourceArns(), req.ResourcePolicy(), req.ResourceOwner(), req.ContextEntries(), req.MaxItems(),
                req.Marker());
    }

    private SimulatePolicyResponse simulate(CallContext ctx, Principal caller, PrincipalPolicies own, List<String> inputs,
                                            List<String> boundaries, List<String> actions, List<String> resources,
                                            String resourcePolicy, String resourceOwner, List<ContextEntry> entries,
                                            Integer maxItems, String marker) {
        if (actions == null || actions.isEmpty()) throw invalid("ActionNames must contain at least one action.");
        List<NamedPolicy> extra = compileAll("PolicyInputList", inputs);
        List<NamedPolicy> boundaryList = compileAll("PermissionsBoundaryPolicyInputList", boundaries);
        if (boundaryList.size() > 1) throw invalid("Only one permissions boundary policy may be given.");
        NamedPolicy boundary = boundaryList.isEmpty() ? null : boundaryList.get(0);
        if (resourcePolicy != null) compile(resourcePolicy, PolicyKind.RESOURCE);
        String account = resourceOwner == null ? caller.accountId() : accountOf(resourceOwner);
        Map<String, List<String>> context = context(entries);
        List<String> arns = resources == null || resources.isEmpty() ? List.of("*") : resources;

        List<EvaluationResult> results = new ArrayList<>();
        for (String action : actions) {
            for (String arn : arns) {
                Evaluation e = evaluator.evaluate(caller, action, new AccessTarget(arn, account, resourcePolicy, NO_KEYS),
                        own, extra, boundary, context);
                results.add(result(action, arn, e, account.equals(caller.accountId())));
            }
        }
        List<String> indices = IntStream.range(0, results.size()).mapToObj(String::valueOf).toList();
        IamSupport.Page<String> page = pageInOrder(indices, i -> i, marker, maxItems);
        return new SimulatePolicyResponse(page.items().stream().map(i -> results.get(Integer.parseInt(i))).toList(),
                page.truncated(), page.marker());
    }

    private static EvaluationResult result(String action, String resource, Evaluation e, boolean sameAccount) {
        Decision d = e.decision();
        String decision = switch (d.outcome()) {
            case ALLOW -> "allowed";
            case EXPLICIT_DENY -> "explicitDeny";
            case IMPLICIT_DENY -> "implicitDeny";
        };
        List<Statement> matched = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Decision.Match m : d.deciding()) {
            Statement s = statement(m.source());
            if (seen.add(s.SourcePolicyId() + "\0" + s.SourcePolicyType() + "\0" + m.statementIndex())) matched.add(s);
        }
        PermissionsBoundaryDecisionDetail boundary = e.policies().boundary() == null ? null
                : new PermissionsBoundaryDecisionDetail(!(d.missing() == Decision.PolicyType.BOUNDARY
                        || d.deniedBy() == Decision.PolicyType.BOUNDARY));
        List<String> missing = missing(action, e);
        if ("*".equals(resource)) return new EvaluationResult(action, resource, decision, matched, missing, boundary, null, null);
        // With a resource named, AWS reports the missing keys per resource, and (in one account) an empty details map.
        Map<String, String> details = sameAccount ? Map.of() : null;
        return new EvaluationResult(action, resource, decision, matched, List.of(), boundary, details,
                List.of(new ResourceSpecificResult(resource, decision, matched, missing, details, boundary)));
    }

    /** The condition keys that the statements applying to the action read and the request did not carry. */
    private static List<String> missing(String action, Evaluation e) {
        List<NamedPolicy> policies = new ArrayList<>(e.policies().identity());
        if (e.policies().boundary() != null) policies.add(e.policies().boundary());
        policies.addAll(e.policies().session());
        if (e.policies().resource() != null) policies.add(e.policies().resource());
        Set<String> missing = new LinkedHashSet<>();
        for (NamedPolicy p : policies) {
            for (String key : p.document().conditionKeys(action)) {
                if (!carried(e.request().context(), key)) missing.add(key);
            }
        }
        return List.copyOf(missing);
    }

    private static boolean carried(Map<String, List<String>> context, String key) {
        for (Map.Entry<String, List<String>> c : context.entrySet()) {
            if (c.getKey().equalsIgnoreCase(key) && !c.getValue().isEmpty()) return true;
        }
        return false;
    }

    /** A policy's identifier and type as IAM's simulator names them. */
    private static Statement statement(String source) {
        if (source.startsWith("PolicyInputList.") || source.startsWith("PermissionsBoundaryPolicyInputList.")) {
            return new Statement(source, "IAM Policy");
        }
        if (source.endsWith("#resource-policy")) return new Statement("ResourcePolicy", "resource");
        int inline = source.indexOf("#inline/");
        if (inline >= 0) {
            String owner = source.substring(0, inline);
            String kind = owner.contains(":group/") ? "group" : owner.contains(":role/") ? "role" : "user";
            return new Statement(source.substring(inline + "#inline/".length()), kind);
        }
        String name = source.substring(source.lastIndexOf('/') + 1);
        if (source.startsWith("arn:aws:iam::aws:policy/")) return new Statement(name, "aws-managed");
        if (source.contains(":policy/")) return new Statement(name, "user-managed");
        return new Statement(source, "none");
    }

    private static List<NamedPolicy> compileAll(String member, List<String> documents) {
        if (documents == null) return List.of();
        List<NamedPolicy> out = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            out.add(new NamedPolicy(member + "." + (i + 1), compile(documents.get(i), PolicyKind.IDENTITY)));
        }
        return out;
    }

    /** IAM's simulator answers a policy it cannot read with InvalidInput (its model lists no MalformedPolicyDocument). */
    private static PolicyDocument compile(String json, PolicyKind kind) {
        try {
            return PolicyDocument.parse(json, kind);
        } catch (MalformedPolicyException e) {
            throw invalid(e.getMessage());
        }
    }

    private static Map<String, List<String>> context(List<ContextEntry> entries) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        if (entries == null) return context;
        for (ContextEntry e : entries) {
            if (e.ContextKeyName() == null || e.ContextKeyName().isEmpty()) throw invalid("ContextKeyName is required.");
            List<String> values = e.ContextKeyValues() == null ? List.of() : List.copyOf(e.ContextKeyValues());
            // A key given twice (in any spelling): the last entry counts.
            context.keySet().removeIf(k -> k.equalsIgnoreCase(e.ContextKeyName()));
            context.put(e.ContextKeyName(), values);
        }
        return context;
    }

    /** The user, group or role whose policies are simulated; NoSuchEntity in IAM's words when there is none. */
    private Source source(CallContext ctx, String arn) {
        if (arn == null) throw invalid("PolicySourceArn is required.");
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !parts[2].equals("iam")) throw invalid("Invalid ARN: " + arn);
        String account = parts[4];
        String resource = parts[5];
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        // Another account's users, groups and roles are not the caller's to read: to it they do not exist.
        if (!account.equals(ctx.accountId()) && (resource.startsWith("user/") || resource.startsWith("group/")
                || resource.startsWith("role/"))) {
            String kind = resource.substring(0, resource.indexOf('/'));
            throw noSuchEntity("The " + kind + " with name " + name + " cannot be found.");
        }
        if (resource.startsWith("user/")) {
            UserRow u = iam.read(tx -> tx.identities().findUser(account, name)).filter(r -> r.arn().equals(arn))
                    .orElseThrow(() -> noSuchEntity("The user with name " + name + " cannot be found."));
            Principal p = new Principal(account, u.arn(), u.userId(), null, Principal.Kind.USER);
            return new Source(p, directory.policiesFor(p), true);
        }
        if (resource.startsWith("group/")) {
            GroupRow g = iam.read(tx -> tx.identities().findGroup(account, name)).filter(r -> r.arn().equals(arn))
                    .orElseThrow(() -> noSuchEntity("The group with name " + name + " cannot be found."));
            Principal p = new Principal(account, g.arn(), g.groupId(), null, Principal.Kind.USER);
            return new Source(p, directory.groupPolicies(account, g.arn()), false);
        }
        if (resource.startsWith("role/")) {
            RoleRow r = iam.read(tx -> tx.identities().findRole(account, name)).filter(x -> x.arn().equals(arn))
                    .orElseThrow(() -> noSuchEntity("The role with name " + name + " cannot be found."));
            Principal p = roleSession(r);
            return new Source(p, directory.policiesFor(p), false);
        }
        throw invalid("PolicySourceArn must be the ARN of an IAM user, group or role: " + arn);
    }

    /** The role as a session of it: its policies and boundary, no session policies. */
    private Principal roleSession(RoleRow r) {
        Instant now = iam.clock.instant();
        String session = "arn:aws:sts::" + r.accountId() + ":assumed-role/" + r.roleName() + "/simulated-session";
        return new Principal(r.accountId(), session, r.roleId() + ":simulated-session", null, Principal.Kind.ASSUMED_ROLE,
                new Principal.Session(r.arn(), "simulated-session", now, now.plusSeconds(3600), Map.of(), Set.of(), null,
                        List.of(), null, null));
    }

    /** CallerArn: an IAM user (AWS accepts no other kind of caller). */
    private Principal caller(CallContext ctx, String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !parts[2].equals("iam") || !parts[5].startsWith("user/")) {
            throw invalid("CallerArn must be the ARN of an IAM user: " + arn);
        }
        String name = parts[5].substring(parts[5].lastIndexOf('/') + 1);
        String userId = !parts[4].equals(ctx.accountId()) ? arn
                : iam.read(tx -> tx.identities().findUser(parts[4], name)).filter(u -> u.arn().equals(arn))
                        .map(UserRow::userId).orElse(arn);
        return new Principal(parts[4], arn, userId, null, Principal.Kind.USER);
    }

    private static String accountOf(String owner) {
        if (owner.matches("\\d{12}")) return owner;
        String[] parts = owner.split(":", 6);
        if (parts.length < 6 || !parts[4].matches("\\d{12}")) throw invalid("Invalid ResourceOwner: " + owner);
        return parts[4];
    }

    private static ServiceException invalid(String message) {
        return new ServiceException(ErrorCode.InvalidInput, message);
    }
}
