package dev.coffer.server.iam;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates policy grammar the way IAM does, and compiles the statements.
 *
 * <p>IAM checks a document in passes, and the first pass that fails names the error, so the
 * checks here run in the same order over all statements: syntax (JSON shape, known elements,
 * value types, Effect, operators) → "legacy parsing" (Effect's exact case, Date values, ARN
 * shape) → unique Sids → actions present → resources present → resource format → action
 * vendors. The order and most messages follow the validator that moto reverse-engineered from
 * IAM (moto/iam/policy_validation.py); the principal messages are IAM's trust-policy ones.
 * Element names are case-sensitive ({@code "effect"} is a syntax error), operator names and
 * condition keys are not.
 *
 * <p>Resource policies (a secret's policy, a role's trust policy) may omit Resource and
 * NotResource: the statement then covers the resource the policy is attached to (trust policies
 * never name one). Identity policies must name resources.
 */
final class PolicyParser {
    static final String SYNTAX = "Syntax errors in policy.";
    static final String LEGACY = "The policy failed legacy parsing";
    static final String NO_ACTIONS = "Policy statement must contain actions.";
    static final String NO_RESOURCES = "Policy statement must contain resources.";
    static final String VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
    static final String ONE_COLON = "Actions/Condition can contain only one colon.";
    static final String PRINCIPAL_IN_IDENTITY = "Policy document should not specify a principal.";
    static final String MISSING_PRINCIPAL = "Missing required field Principal";
    static final String SID_ALPHANUMERIC =
            "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*";
    static final String SID_UNIQUE = "Statement IDs (SID) in a single policy must be unique.";

    static final String VERSION_2012 = "2012-10-17";
    static final String VERSION_2008 = "2008-10-17";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> TOP = Set.of("Version", "Id", "Statement");
    private static final Set<String> ELEMENTS = Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
            "Principal", "NotPrincipal", "Condition");
    private static final Pattern SID = Pattern.compile("[0-9A-Za-z]*");
    private static final Pattern VENDOR_CHARS = Pattern.compile("[A-Za-z0-9.-]*");
    /**
     * A condition key's prefix may also be an OpenID Connect provider, named by its issuer without
     * the scheme, path included ({@code oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub},
     * {@code token.actions.githubusercontent.com:sub}).
     */
    private static final Pattern CONDITION_VENDOR_CHARS = Pattern.compile("[A-Za-z0-9._/-]*");

    /** What a parse yields. */
    record Parsed(String version, String id, List<PolicyStatement> statements) {}

    /** One condition as written, before compiling. */
    private record RawCondition(ConditionOperator op, Condition.Qualifier qualifier, boolean ifExists, String key, List<String> values) {}

    /** One statement as written, syntax-checked. */
    private record Raw(String sid, String effect, List<String> actions, boolean notAction, List<String> resources, boolean notResource,
                       JsonNode principal, boolean notPrincipal, List<RawCondition> conditions) {}

    private PolicyParser() {}

    static Parsed parse(String json, PolicyKind kind) {
        if (json == null) throw new MalformedPolicyException(SYNTAX);
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedPolicyException(SYNTAX);
        }

        // Pass 1: syntax.
        if (root == null || !root.isObject()) throw new MalformedPolicyException(SYNTAX);
        for (Map.Entry<String, JsonNode> e : root.properties()) if (!TOP.contains(e.getKey())) throw new MalformedPolicyException(SYNTAX);
        String version = VERSION_2008;
        JsonNode v = root.get("Version");
        if (v != null) {
            if (!v.isTextual() || !(v.textValue().equals(VERSION_2012) || v.textValue().equals(VERSION_2008))) {
                throw new MalformedPolicyException(SYNTAX);
            }
            version = v.textValue();
        }
        JsonNode idNode = root.get("Id");
        if (idNode != null && !idNode.isTextual()) throw new MalformedPolicyException(SYNTAX);
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null) throw new MalformedPolicyException(SYNTAX);
        List<JsonNode> nodes = new ArrayList<>();
        if (statementNode.isObject()) nodes.add(statementNode);
        else if (statementNode.isArray()) statementNode.forEach(nodes::add);
        else throw new MalformedPolicyException(SYNTAX);
        if (nodes.isEmpty()) throw new MalformedPolicyException(SYNTAX);
        List<Raw> raws = new ArrayList<>();
        for (JsonNode node : nodes) raws.add(syntax(node, kind));
        boolean variables = version.equals(VERSION_2012);

        // Pass 2: legacy parsing.
        for (Raw r : raws) {
            if (!r.effect.equals("Allow") && !r.effect.equals("Deny")) throw new MalformedPolicyException(LEGACY);
            for (RawCondition c : r.conditions) {
                if (c.op.family != ConditionOperator.Family.DATE) continue;
                for (String value : c.values) {
                    if (variables && value.contains("${")) continue;
                    if (PolicyDates.parse(value) == PolicyDates.INVALID) throw new MalformedPolicyException(LEGACY);
                }
            }
            if (r.resources != null) for (String res : r.resources) legacyResource(res);
        }

        // Pass 3: statement ids.
        Set<String> sids = new HashSet<>();
        for (Raw r : raws) {
            if (r.sid == null || r.sid.isEmpty()) continue;
            if (!sids.add(r.sid)) throw new MalformedPolicyException(SID_UNIQUE);
        }
        if (kind == PolicyKind.IDENTITY) {
            for (Raw r : raws) if (r.sid != null && !SID.matcher(r.sid).matches()) throw new MalformedPolicyException(SID_ALPHANUMERIC);
        }

        // Passes 4 and 5: actions and resources present.
        for (Raw r : raws) if (r.actions == null || r.actions.isEmpty()) throw new MalformedPolicyException(NO_ACTIONS);
        for (Raw r : raws) {
            if (r.resources == null ? kind == PolicyKind.IDENTITY : r.resources.isEmpty()) throw new MalformedPolicyException(NO_RESOURCES);
        }

        // Pass 6: resource format.
        for (Raw r : raws) {
            if (r.resources == null) continue;
            for (String res : r.resources) {
                if (!res.equals("*") && !res.startsWith("arn:") && !(variables && res.startsWith("${"))) {
                    throw new MalformedPolicyException("Resource " + res + " must be in ARN format or \"*\".");
                }
            }
        }

        // Pass 7: vendors of actions and condition keys.
        for (Raw r : raws) {
            for (String a : r.actions) vendor(a, true);
            for (RawCondition c : r.conditions) vendor(c.key, false);
        }

        // Principals (resource policies).
        List<PolicyStatement> statements = new ArrayList<>();
        for (Raw r : raws) {
            PrincipalMatcher principal = null;
            if (r.principal != null) principal = principal(r.principal);
            else if (kind == PolicyKind.RESOURCE) throw new MalformedPolicyException(MISSING_PRINCIPAL);
            List<Condition> conditions = new ArrayList<>();
            for (RawCondition c : r.conditions) conditions.add(new Condition(c.op, c.qualifier, c.ifExists, c.key, c.values, variables));
            statements.add(new PolicyStatement(statements.size(), r.sid, r.effect.equals("Allow"), r.actions, r.notAction, r.resources,
                    r.notResource, variables, principal, r.notPrincipal, conditions));
        }
        return new Parsed(version, idNode == null ? null : idNode.textValue(), List.copyOf(statements));
    }

    private static Raw syntax(JsonNode node, PolicyKind kind) {
        if (!node.isObject()) throw new MalformedPolicyException(SYNTAX);
        if (kind == PolicyKind.IDENTITY && (node.has("Principal") || node.has("NotPrincipal"))) {
            throw new MalformedPolicyException(PRINCIPAL_IN_IDENTITY);
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) if (!ELEMENTS.contains(e.getKey())) throw new MalformedPolicyException(SYNTAX);
        if (node.has("Action") && node.has("NotAction")) throw new MalformedPolicyException(SYNTAX);
        if (node.has("Resource") && node.has("NotResource")) throw new MalformedPolicyException(SYNTAX);
        if (node.has("Principal") && node.has("NotPrincipal")) throw new MalformedPolicyException(SYNTAX);

        JsonNode effect = node.get("Effect");
        if (effect == null || !effect.isTextual()) throw new MalformedPolicyException(SYNTAX);
        if (!effect.textValue().equalsIgnoreCase("Allow") && !effect.textValue().equalsIgnoreCase("Deny")) {
            throw new MalformedPolicyException(SYNTAX);
        }
        JsonNode sid = node.get("Sid");
        if (sid != null && !sid.isTextual()) throw new MalformedPolicyException(SYNTAX);

        boolean notAction = node.has("NotAction");
        List<String> actions = node.has("Action") || notAction ? strings(node.get(notAction ? "NotAction" : "Action")) : null;
        boolean notResource = node.has("NotResource");
        List<String> resources = node.has("Resource") || notResource ? strings(node.get(notResource ? "NotResource" : "Resource")) : null;
        boolean notPrincipal = node.has("NotPrincipal");
        JsonNode principal = node.get(notPrincipal ? "NotPrincipal" : "Principal");
        List<RawCondition> conditions = node.has("Condition") ? conditions(node.get("Condition")) : List.of();
        return new Raw(sid == null ? null : sid.textValue(), effect.textValue(), actions, notAction, resources, notResource, principal,
                notPrincipal, conditions);
    }

    /** IAM's legacy ARN checks: an ARN with "::" needs all six parts, and names its service. */
    private static void legacyResource(String resource) {
        if (resource.equals("*") || resource.indexOf(':') < 0) return;
        long colons = resource.chars().filter(c -> c == ':').count();
        if (colons < 5 && resource.contains("::")) throw new MalformedPolicyException(LEGACY);
        String[] parts = resource.split(":", -1);
        if (parts.length > 2 && parts[2].isEmpty()) throw new MalformedPolicyException(LEGACY);
    }

    private static void vendor(String name, boolean action) {
        if (action && name.equals("*")) return;
        int colon = name.indexOf(':');
        if (colon < 0) throw new MalformedPolicyException(VENDOR);
        if (colon != name.lastIndexOf(':') && action) throw new MalformedPolicyException(ONE_COLON);
        String vendor = name.substring(0, colon);
        Pattern allowed = action ? VENDOR_CHARS : CONDITION_VENDOR_CHARS;
        if (!vendor.equals("*") && !allowed.matcher(vendor).matches()) throw new MalformedPolicyException("Vendor " + vendor + " is not valid");
    }

    private static PrincipalMatcher principal(JsonNode node) {
        if (node.isTextual()) {
            if (node.textValue().equals("*")) return PrincipalMatcher.everyone();
            throw new MalformedPolicyException(PrincipalMatcher.INVALID);
        }
        if (!node.isObject() || node.isEmpty()) throw new MalformedPolicyException(PrincipalMatcher.INVALID);
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            List<String> values = strings(e.getValue());
            if (values.isEmpty()) throw new MalformedPolicyException(PrincipalMatcher.INVALID);
            byType.put(e.getKey(), values);
        }
        return PrincipalMatcher.of(byType);
    }

    private static List<RawCondition> conditions(JsonNode node) {
        if (!node.isObject()) throw new MalformedPolicyException(SYNTAX);
        List<RawCondition> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> block : node.properties()) {
            String name = block.getKey();
            // A key without its operator ({"Condition": {"aws:username": "x"}}) lands here too.
            if (!block.getValue().isObject()) throw new MalformedPolicyException(SYNTAX);
            if (block.getValue().isEmpty()) continue; // IAM lets an empty block pass, whatever its operator
            Condition.Qualifier qualifier = Condition.Qualifier.NONE;
            String base = name;
            int colon = name.indexOf(':');
            if (colon >= 0) {
                String prefix = name.substring(0, colon);
                if (prefix.equalsIgnoreCase("ForAnyValue")) qualifier = Condition.Qualifier.FOR_ANY_VALUE;
                else if (prefix.equalsIgnoreCase("ForAllValues")) qualifier = Condition.Qualifier.FOR_ALL_VALUES;
                else throw new MalformedPolicyException(SYNTAX);
                base = name.substring(colon + 1);
            }
            boolean ifExists = false;
            ConditionOperator op = ConditionOperator.named(base);
            if (op == null && base.regionMatches(true, Math.max(0, base.length() - 8), "IfExists", 0, 8)) {
                op = ConditionOperator.named(base.substring(0, base.length() - 8));
                ifExists = true;
                if (op == ConditionOperator.Null) op = null;
            }
            if (op == null) throw new MalformedPolicyException(SYNTAX);
            for (Map.Entry<String, JsonNode> k : block.getValue().properties()) {
                conditions.add(new RawCondition(op, qualifier, ifExists, k.getKey(), conditionValues(k.getValue())));
            }
        }
        return conditions;
    }

    /** A condition value: a string, number or boolean, or an array of them. */
    private static List<String> conditionValues(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode n : node) values.add(scalar(n));
        } else {
            values.add(scalar(node));
        }
        return values;
    }

    private static String scalar(JsonNode n) {
        if (n.isTextual()) return n.textValue();
        if (n.isNumber() || n.isBoolean()) return n.asText();
        throw new MalformedPolicyException(SYNTAX);
    }

    /** A string or an array of strings (Action, Resource, principal values). */
    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.textValue());
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                if (!n.isTextual()) throw new MalformedPolicyException(SYNTAX);
                values.add(n.textValue());
            }
        } else {
            throw new MalformedPolicyException(SYNTAX);
        }
        return values;
    }
}
