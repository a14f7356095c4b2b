package dev.coffer.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * A request's or result's members as a CloudTrail record shows them ({@code requestParameters},
 * {@code responseElements}): member names in CloudTrail's lower camel case ({@code SecretId} → {@code secretId},
 * {@code ARN} → {@code arn}), only members the service model knows, and never the value of a member the
 * model marks sensitive (a secret value, a password, a rotation token) — the member is dropped, not masked.
 * Credentials some models do not mark (STS's secret key and session token) are dropped by name as well.
 */
final class AuditView {
    /** Members that carry a credential whatever a model says. */
    private static final Set<String> ALWAYS_DROPPED = Set.of("SecretAccessKey", "SessionToken", "SecretString", "SecretBinary",
            "Password", "RandomPassword", "WebIdentityToken", "RotationToken", "PrivateKey", "NewPassword", "OldPassword");

    private AuditView() {}

    /** The view of {@code node} as {@code shape}; null when there is nothing to show. */
    static JsonNode of(ServiceModel model, Shape shape, JsonNode node) {
        if (shape == null || node == null || node.isNull() || node.isMissingNode()) return null;
        JsonNode view = view(model, shape, node);
        return view == null || (view.isObject() && view.isEmpty()) ? null : view;
    }

    private static JsonNode view(ServiceModel model, Shape shape, JsonNode node) {
        if (node == null || node.isNull() || shape.sensitive()) return null;
        switch (shape.type()) {
            case STRUCTURE -> {
                if (!node.isObject()) return null;
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                for (Map.Entry<String, Member> e : shape.members().entrySet()) {
                    Member m = e.getValue();
                    if (m.sensitive() || ALWAYS_DROPPED.contains(e.getKey())) continue;
                    JsonNode child = view(model, model.shape(m), node.get(e.getKey()));
                    if (child != null) out.set(camel(e.getKey()), child);
                }
                return out;
            }
            case LIST -> {
                if (!node.isArray() || shape.element().sensitive()) return null;
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                Shape element = model.shape(shape.element());
                for (JsonNode item : node) {
                    JsonNode v = view(model, element, item);
                    if (v != null) out.add(v);
                }
                return out;
            }
            case MAP -> {
                if (!node.isObject() || shape.value().sensitive()) return null;
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                Shape value = model.shape(shape.value());
                node.properties().forEach(e -> {
                    JsonNode v = view(model, value, e.getValue());
                    if (v != null) out.set(e.getKey(), v);
                });
                return out;
            }
            default -> {
                return node.isContainerNode() ? null : node.deepCopy();
            }
        }
    }

    /** {@code SecretId} → {@code secretId}, {@code ARN} → {@code arn}, {@code KMSKeyId} → {@code kmsKeyId}. */
    static String camel(String name) {
        int upper = 0;
        while (upper < name.length() && Character.isUpperCase(name.charAt(upper))) upper++;
        if (upper == 0) return name;
        if (upper == name.length()) return name.toLowerCase(java.util.Locale.ROOT);
        int lower = upper == 1 ? 1 : upper - 1; // keep the capital that starts the next word
        return name.substring(0, lower).toLowerCase(java.util.Locale.ROOT) + name.substring(lower);
    }
}
