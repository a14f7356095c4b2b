package dev.coffer.server.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the statements of a policy's text for what the analyses report about them: whether a
 * statement has conditions, and which statements grant wildcards. It never decides access; that
 * is the {@code AccessDecider}'s alone.
 */
final class PolicyStatements {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyStatements() {}

    /** The statements of a policy document, in order; empty when the text is not a policy. */
    static List<JsonNode> of(String policyJson) {
        List<JsonNode> out = new ArrayList<>();
        if (policyJson == null) return out;
        JsonNode statements;
        try {
            statements = JSON.readTree(policyJson).path("Statement");
        } catch (java.io.IOException | RuntimeException e) {
            return out;
        }
        if (statements.isObject()) out.add(statements);
        else if (statements.isArray()) statements.forEach(out::add);
        return out;
    }

    /** Whether statement {@code index} of the policy has a non-empty Condition block. */
    static boolean hasConditions(String policyJson, int index) {
        List<JsonNode> statements = of(policyJson);
        if (index < 0 || index >= statements.size()) return false;
        JsonNode condition = statements.get(index).path("Condition");
        return condition.isObject() && !condition.isEmpty();
    }

    static boolean allows(JsonNode statement) {
        return "Allow".equals(statement.path("Effect").asText(null));
    }

    /** The strings of an element that may be one string or a list of them. */
    static List<String> strings(JsonNode statement, String element) {
        JsonNode node = statement.path(element);
        List<String> out = new ArrayList<>();
        if (node.isTextual()) out.add(node.asText());
        else if (node.isArray()) node.forEach(n -> {
            if (n.isTextual()) out.add(n.asText());
        });
        return out;
    }

    /**
     * The broadest wildcard action an allowing statement on Resource {@code *} grants: {@code *},
     * {@code secretsmanager:*} or {@code secretsmanager:Get*}; null when it grants none of them.
     */
    static String wildcardGrant(JsonNode statement) {
        if (!allows(statement) || !strings(statement, "Resource").contains("*")) return null;
        String found = null;
        for (String action : strings(statement, "Action")) {
            String a = action.toLowerCase(Locale.ROOT);
            if (a.equals("*") || a.equals("*:*")) return action;
            if (a.equals("secretsmanager:*")) found = action;
            else if (found == null && a.equals("secretsmanager:get*")) found = action;
        }
        return found;
    }
}
