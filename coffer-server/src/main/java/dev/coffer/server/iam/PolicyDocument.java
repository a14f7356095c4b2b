package dev.coffer.server.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed and compiled IAM policy document. Immutable and thread-safe: compile once, evaluate
 * many times. SKELETON: checks only that the text is a JSON object; the policy-language work
 * replaces the body.
 */
public final class PolicyDocument {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String json;
    private final JsonNode tree;

    private PolicyDocument(String json, JsonNode tree) {
        this.json = json;
        this.tree = tree;
    }

    /** Parses and validates a policy of the given kind; {@link MalformedPolicyException} in IAM's words. */
    public static PolicyDocument parse(String json, PolicyKind kind) {
        try {
            JsonNode tree = JSON.readTree(json);
            if (tree == null || !tree.isObject()) throw new MalformedPolicyException("Syntax errors in policy.");
            return new PolicyDocument(json, tree);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new MalformedPolicyException("Syntax errors in policy.");
        }
    }

    /** The document as it was given. */
    public String json() {
        return json;
    }

    /** The Sid of each statement, in order (null where a statement has none). */
    public List<String> statementIds() {
        List<String> ids = new ArrayList<>();
        JsonNode statements = tree.path("Statement");
        if (statements.isObject()) ids.add(statements.path("Sid").textValue());
        else for (JsonNode s : statements) ids.add(s.path("Sid").textValue());
        return ids;
    }
}
