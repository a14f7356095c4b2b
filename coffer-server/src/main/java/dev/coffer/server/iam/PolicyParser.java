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
 * Reads and validates policy grammar the way IAM does, with IAM's messages where they are known,
 * and compiles the statements. Element names are case-sensitive ({@code "effect"} is an unknown
 * field), operator names and condition keys are not.
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
    static final String MISSING_EFFECT = "Missing required field Effect";
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
    private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9*?_-]+:[^\\s]+");
    private static final Pattern SID = Pattern.compile("[0-9A-Za-z]*");

    /** What a parse yields. */
    record Parsed(String version, String id, List<PolicyStatement> statements) {}

    private PolicyParser() {}

    static Parsed parse(String json, PolicyKind kind) {
        if (json == null) throw new MalformedPolicyException(SYNTAX);
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedPolicyException(SYNTAX);
        }
        if (root == null || !root.isObject()) throw new MalformedPolicyException(SYNTAX);
        unknownFields(root, TOP);
        String version = VERSION_2008;
        JsonNode v = root.get("Version");
        if (v != null) {
            if (!v.isTextual() || !(v.textValue().equals(VERSION_2012) || v.textValue().equals(VERSION_2008))) {
                throw new MalformedPolicyException(LEGACY);
            }
            version = v.textValue();
        }
        JsonNode idNode = root.get("Id");
        if (idNode != null && !idNode.isTextual()) throw new MalformedPolicyException(SYNTAX);
        String id = idNode == null ? null : idNode.textValue();
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null) throw new MalformedPolicyException(SYNTAX);
        List<JsonNode> nodes = new ArrayList<>();
        if (statementNode.isObject()) nodes.add(statementNode);
        else if (statementNode.isArray()) statementNode.forEach(nodes::add);
        else throw new MalformedPolicyException(SYNTAX);
        if (nodes.isEmpty()) throw new MalformedPolicyException(SYNTAX);
        boolean variables = version.equals(VERSION_2012);
        List<PolicyStatement> statements = new ArrayList<>();
        Set<String> sids = new HashSet<>();
        for (JsonNode node : nodes) {
            PolicyStatement s = statement(node, statements.size(), kind, variables);
            if (s.sid() != null && !s.sid().isEmpty() && !sids.add(s.sid())) throw new MalformedPolicyException(SID_UNIQUE);
            statements.add(s);
        }
        return new Parsed(version, id, List.copyOf(statements));
    }

    private static PolicyStatement statement(JsonNode node, int index, PolicyKind kind, boolean variables) {
        if (!node.isObject()) throw new MalformedPolicyException(SYNTAX);
        unknownFields(node, ELEMENTS);

        String sid = null;
        JsonNode sidNode = node.get("Sid");
        if (sidNode != null) {
            if (!sidNode.isTextual()) throw new MalformedPolicyException(SYNTAX);
            sid = sidNode.textValue();
            if (kind == PolicyKind.IDENTITY && !SID.matcher(sid).matches()) throw new MalformedPolicyException(SID_ALPHANUMERIC);
        }

        JsonNode effectNode = node.get("Effect");
        if (effectNode == null) throw new MalformedPolicyException(MISSING_EFFECT);
        if (!effectNode.isTextual()) throw new MalformedPolicyException(SYNTAX);
        boolean allow = switch (effectNode.textValue()) {
            case "Allow" -> true;
            case "Deny" -> false;
            default -> throw new MalformedPolicyException("Invalid effect: " + effectNode.textValue());
        };

        boolean notAction = node.has("NotAction");
        if (notAction && node.has("Action")) throw new MalformedPolicyException(SYNTAX);
        List<String> actions = node.has("Action") || notAction ? strings(node.get(notAction ? "NotAction" : "Action")) : List.of();
        if (actions.isEmpty()) throw new MalformedPolicyException(NO_ACTIONS);
        for (String a : actions) {
            if (!ACTION.matcher(a).matches()) throw new MalformedPolicyException(VENDOR);
            if (a.indexOf(':') != a.lastIndexOf(':')) throw new MalformedPolicyException(ONE_COLON);
        }

        boolean notResource = node.has("NotResource");
        if (notResource && node.has("Resource")) throw new MalformedPolicyException(SYNTAX);
        List<String> resources = null;
        if (node.has("Resource") || notResource) {
            resources = strings(node.get(notResource ? "NotResource" : "Resource"));
            if (resources.isEmpty()) throw new MalformedPolicyException(NO_RESOURCES);
            for (String r : resources) {
                if (!r.equals("*") && !r.startsWith("arn:") && !r.startsWith("${")) {
                    throw new MalformedPolicyException("Resource " + r + " must be in ARN format or \"*\".");
                }
            }
        } else if (kind == PolicyKind.IDENTITY) {
            throw new MalformedPolicyException(NO_RESOURCES);
        }

        boolean notPrincipal = node.has("NotPrincipal");
        if (notPrincipal && node.has("Principal")) throw new MalformedPolicyException(SYNTAX);
        PrincipalMatcher principal = null;
        if (node.has("Principal") || notPrincipal) {
            if (kind == PolicyKind.IDENTITY) throw new MalformedPolicyException(PRINCIPAL_IN_IDENTITY);
            principal = principal(node.get(notPrincipal ? "NotPrincipal" : "Principal"));
        } else if (kind == PolicyKind.RESOURCE) {
            throw new MalformedPolicyException(MISSING_PRINCIPAL);
        }

        List<Condition> conditions = node.has("Condition") ? conditions(node.get("Condition"), variables) : List.of();
        return new PolicyStatement(index, sid, allow, actions, notAction, resources, notResource, variables, principal,
                notPrincipal, conditions);
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

    private static List<Condition> conditions(JsonNode node, boolean variables) {
        if (!node.isObject()) throw new MalformedPolicyException(SYNTAX);
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> block : node.properties()) {
            String name = block.getKey();
            // A key without its operator ({"Condition": {"aws:username": "x"}}) is a syntax error to IAM.
            if (!block.getValue().isObject() || block.getValue().isEmpty()) throw new MalformedPolicyException(SYNTAX);
            Condition.Qualifier qualifier = Condition.Qualifier.NONE;
            String base = name;
            int colon = name.indexOf(':');
            if (colon >= 0) {
                String prefix = name.substring(0, colon);
                if (prefix.equalsIgnoreCase("ForAnyValue")) qualifier = Condition.Qualifier.FOR_ANY_VALUE;
                else if (prefix.equalsIgnoreCase("ForAllValues")) qualifier = Condition.Qualifier.FOR_ALL_VALUES;
                else throw invalidOperator(name);
                base = name.substring(colon + 1);
            }
            boolean ifExists = false;
            ConditionOperator op = ConditionOperator.named(base);
            if (op == null && base.regionMatches(true, Math.max(0, base.length() - 8), "IfExists", 0, 8)) {
                op = ConditionOperator.named(base.substring(0, base.length() - 8));
                ifExists = true;
                if (op == ConditionOperator.Null) op = null;
            }
            if (op == null) throw invalidOperator(name);
            for (Map.Entry<String, JsonNode> k : block.getValue().properties()) {
                int c = k.getKey().indexOf(':');
                if (c <= 0 || c == k.getKey().length() - 1) throw new MalformedPolicyException(VENDOR);
                conditions.add(new Condition(op, qualifier, ifExists, k.getKey(), conditionValues(k.getValue()), variables));
            }
        }
        return conditions;
    }

    private static MalformedPolicyException invalidOperator(String name) {
        return new MalformedPolicyException("Invalid Condition type : " + name);
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

    private static void unknownFields(JsonNode node, Set<String> known) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = e.getKey();
            if (!known.contains(name)) throw new MalformedPolicyException("Unknown field " + name);
        }
    }
}
