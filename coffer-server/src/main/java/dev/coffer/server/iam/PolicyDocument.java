package dev.coffer.server.iam;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A parsed, validated and compiled IAM policy document. Immutable and thread-safe: compile once,
 * evaluate many times. Everything the evaluator needs (wildcard patterns, numbers, dates,
 * CIDRs, principals) is compiled here; evaluation parses nothing that the policy says.
 *
 * <p>Per document, the statements whose Action/NotAction admit an action are remembered per
 * action name (the set of action names a server asks about is small and fixed), so evaluation
 * looks only at statements that can apply.
 */
public final class PolicyDocument {
    private static final int ACTION_INDEX_LIMIT = 1024;
    private static final PolicyStatement[] NONE = new PolicyStatement[0];

    private final String json;
    private final PolicyKind kind;
    private final String version;
    private final String id;
    private final List<PolicyStatement> statements;
    private final PolicyStatement[] statementArray;
    private final Set<String> conditionKeys;
    private final ConcurrentHashMap<String, PolicyStatement[]> byAction = new ConcurrentHashMap<>();

    private PolicyDocument(String json, PolicyKind kind, PolicyParser.Parsed parsed) {
        this.json = json;
        this.kind = kind;
        this.version = parsed.version();
        this.id = parsed.id();
        this.statements = parsed.statements();
        this.statementArray = statements.toArray(PolicyStatement[]::new);
        Set<String> keys = new LinkedHashSet<>();
        for (PolicyStatement s : statements) keys.addAll(s.conditionKeys());
        this.conditionKeys = Collections.unmodifiableSet(keys);
    }

    /** Parses and validates a policy of the given kind; {@link MalformedPolicyException} in IAM's words. */
    public static PolicyDocument parse(String json, PolicyKind kind) {
        return new PolicyDocument(json, kind, PolicyParser.parse(json, kind));
    }

    /** The document as it was given. */
    public String json() {
        return json;
    }

    /** The Sid of each statement, in order (null where a statement has none). */
    public List<String> statementIds() {
        List<String> ids = new ArrayList<>(statements.size());
        for (PolicyStatement s : statements) ids.add(s.sid());
        return Collections.unmodifiableList(ids);
    }

    /** The kind it was parsed as. */
    public PolicyKind kind() {
        return kind;
    }

    /** {@code 2012-10-17} or {@code 2008-10-17} (also when the document has no Version). */
    public String version() {
        return version;
    }

    /** The Id element, or null. */
    public String id() {
        return id;
    }

    /** The compiled statements, in document order. */
    public List<PolicyStatement> statements() {
        return statements;
    }

    /** Every condition key the document reads (in conditions and policy variables), as written. */
    public Set<String> conditionKeys() {
        return conditionKeys;
    }

    /** The condition keys read by the statements whose Action / NotAction admit the action (the simulator's missing keys). */
    public Set<String> conditionKeys(String action) {
        Set<String> keys = new LinkedHashSet<>();
        for (PolicyStatement s : candidates(action)) keys.addAll(s.conditionKeys());
        return keys;
    }

    /** The statements whose Action / NotAction admit the action, in document order. */
    PolicyStatement[] candidates(String action) {
        PolicyStatement[] hit = byAction.get(action);
        if (hit != null) return hit;
        List<PolicyStatement> list = new ArrayList<>();
        for (PolicyStatement s : statementArray) if (s.matchesAction(action)) list.add(s);
        hit = list.isEmpty() ? NONE : list.toArray(PolicyStatement[]::new);
        if (byAction.size() < ACTION_INDEX_LIMIT) byAction.putIfAbsent(action, hit);
        return hit;
    }

    @Override
    public String toString() {
        return "PolicyDocument[" + kind + ", " + statements.size() + " statements]";
    }
}
