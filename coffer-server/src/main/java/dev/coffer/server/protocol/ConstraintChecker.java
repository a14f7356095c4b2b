package dev.coffer.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The second pass over a request body, once every member has the right JSON type: collects
 * every broken model constraint (required, length, value range, pattern, enum) as AWS reports
 * them. Members are visited in model order, depth first, and each value's own violations come
 * before those of its parts.
 *
 * <p>Paths are AWS's: the member name with a lower-case first letter ({@code secretId}),
 * joined by dots, with 1-based list positions ({@code tags.1.member.value}) and map entries
 * as {@code <map>.<key>.member}.
 *
 * <p>Lengths: strings count Unicode code points, blobs their decoded bytes, lists and maps
 * their entries. Patterns must match the whole value, and only patterns the model gives are
 * applied. Sensitive values are never shown.
 */
final class ConstraintChecker {
    private final ServiceModel model;
    private final ValueRenderer renderer;

    ConstraintChecker(ServiceModel model) {
        this.model = model;
        this.renderer = new ValueRenderer(model);
    }

    List<Violation> check(Shape input, JsonNode body) {
        List<Violation> out = new ArrayList<>();
        members(input, body, "", false, out);
        return out;
    }

    private void members(Shape structure, JsonNode node, String prefix, boolean hidden, List<Violation> out) {
        for (Map.Entry<String, Member> e : structure.members().entrySet()) {
            String path = prefix + lowerFirst(e.getKey());
            JsonNode value = node.get(e.getKey());
            if (value == null || value.isNull()) {
                if (structure.required().contains(e.getKey())) {
                    out.add(Violation.missing(path));
                }
            } else {
                value(e.getValue(), value, path, hidden, out);
            }
        }
    }

    /** {@code hidden}: the value is part of a sensitive value, so it is never shown either. */
    private void value(Member member, JsonNode node, String path, boolean hidden, List<Violation> out) {
        Shape shape = model.shape(member);
        boolean sensitive = hidden || member.sensitive() || shape.sensitive();
        Shown shown = new Shown(shape, node, sensitive);
        switch (shape.type()) {
            case STRING -> {
                String text = node.asText();
                length(shape, text.codePointCount(0, text.length()), shown, path, out);
                if (shape.pattern() != null && !shape.pattern().matcher(text).matches()) {
                    out.add(Violation.of(path, shown.get(), "Member must satisfy regular expression pattern: "
                            + shape.patternText()));
                }
                if (!shape.enumValues().isEmpty() && !shape.enumValues().contains(text)) {
                    out.add(Violation.of(path, shown.get(), "Member must satisfy enum value set: "
                            + shape.enumValues()));
                }
            }
            case BLOB -> length(shape, StrictBase64.decodedLength(node.asText()), shown, path, out);
            case INTEGER, LONG, FLOAT, DOUBLE -> range(shape, node, shown, path, out);
            case LIST -> {
                length(shape, node.size(), shown, path, out);
                int position = 1;
                for (JsonNode item : node) {
                    if (!item.isNull()) {
                        value(shape.element(), item, path + "." + position + ".member", sensitive, out);
                    }
                    position++;
                }
            }
            case MAP -> {
                length(shape, node.size(), shown, path, out);
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    JsonNode key = TextNode.valueOf(e.getKey());
                    value(shape.key(), key, path + "." + e.getKey(), sensitive, out);
                    if (!e.getValue().isNull()) {
                        value(shape.value(), e.getValue(), path + "." + e.getKey() + ".member", sensitive, out);
                    }
                }
            }
            case STRUCTURE -> members(shape, node, path + ".", sensitive, out);
            case BOOLEAN, TIMESTAMP -> {
                // no constraints apply
            }
        }
    }

    private static void length(Shape shape, long length, Shown shown, String path, List<Violation> out) {
        if (shape.min() != null && BigDecimal.valueOf(length).compareTo(shape.min()) < 0) {
            out.add(Violation.of(path, shown.get(), "Member must have length greater than or equal to "
                    + shape.min().toPlainString()));
        }
        if (shape.max() != null && BigDecimal.valueOf(length).compareTo(shape.max()) > 0) {
            out.add(Violation.of(path, shown.get(), "Member must have length less than or equal to "
                    + shape.max().toPlainString()));
        }
    }

    /**
     * A whole number beyond the range of the shape's Java type reached this pass only because
     * the shape bounds it on that side (see {@link WireTypeChecker}); AWS then reports the
     * bound without showing the value.
     */
    private static void range(Shape shape, JsonNode node, Shown shown, String path, List<Violation> out) {
        BigDecimal value = JsonNumbers.exact(node);
        boolean representable = !shape.type().isIntegral() || JsonNumbers.fits(value, shape.type());
        if (shape.min() != null && value.compareTo(shape.min()) < 0) {
            out.add(Violation.of(path, representable ? shown.get() : null,
                    "Member must have value greater than or equal to " + shape.min().toPlainString()));
        }
        if (shape.max() != null && value.compareTo(shape.max()) > 0) {
            out.add(Violation.of(path, representable ? shown.get() : null,
                    "Member must have value less than or equal to " + shape.max().toPlainString()));
        }
    }

    static String lowerFirst(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    /** Renders a value only if a violation needs it, and never a sensitive one. */
    private final class Shown {
        private final Shape shape;
        private final JsonNode node;
        private final boolean sensitive;

        Shown(Shape shape, JsonNode node, boolean sensitive) {
            this.shape = shape;
            this.node = node;
            this.sensitive = sensitive;
        }

        String get() {
            return sensitive ? null : renderer.render(shape, node);
        }
    }
}
