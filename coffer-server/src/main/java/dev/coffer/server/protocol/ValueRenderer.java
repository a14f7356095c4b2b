package dev.coffer.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Shows a member's value in a validation message the way AWS's Java framework prints it:
 * strings as given, numbers in plain notation, lists as {@code [a, b]}, structures and maps
 * as {@code {Key=a, Value=b}}. A sensitive value is never shown: the caller leaves a
 * sensitive member's value out entirely, and sensitive parts of a larger value are replaced
 * by {@value #REDACTED}.
 */
final class ValueRenderer {
    static final String REDACTED = "*** Sensitive Data Redacted ***";

    private final ServiceModel model;

    ValueRenderer(ServiceModel model) {
        this.model = model;
    }

    String render(Shape shape, JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        return switch (shape.type()) {
            case LIST -> list(shape, node);
            case STRUCTURE -> structure(shape, node);
            case MAP -> map(shape, node);
            case INTEGER, LONG -> JsonNumbers.integral(JsonNumbers.exact(node)).toString();
            case FLOAT, DOUBLE, TIMESTAMP -> number(node);
            default -> node.asText();
        };
    }

    private String list(Shape shape, JsonNode node) {
        StringJoiner out = new StringJoiner(", ", "[", "]");
        for (JsonNode item : node) {
            out.add(part(shape.element(), item));
        }
        return out.toString();
    }

    private String structure(Shape shape, JsonNode node) {
        StringJoiner out = new StringJoiner(", ", "{", "}");
        for (Map.Entry<String, Member> m : shape.members().entrySet()) {
            JsonNode value = node.get(m.getKey());
            if (value != null && !value.isNull()) {
                out.add(m.getKey() + "=" + part(m.getValue(), value));
            }
        }
        return out.toString();
    }

    private String map(Shape shape, JsonNode node) {
        StringJoiner out = new StringJoiner(", ", "{", "}");
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.add(e.getKey() + "=" + part(shape.value(), e.getValue()));
        }
        return out.toString();
    }

    private String part(Member member, JsonNode value) {
        Shape shape = model.shape(member);
        return member.sensitive() || shape.sensitive() ? REDACTED : render(shape, value);
    }

    private static String number(JsonNode node) {
        BigDecimal exact = JsonNumbers.exact(node);
        return exact == null ? node.asText() : node.isIntegralNumber() ? exact.toPlainString() : node.asText();
    }
}
