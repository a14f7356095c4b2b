package dev.coffer.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Writes a result, already turned into a JSON tree, as the Query protocol's XML, guided by the
 * operation's output shape: each structure member an element named after it, in model order;
 * list elements as {@code <member>}; map entries as {@code <entry><key/><value/></entry>};
 * timestamps ISO 8601 in UTC to the second, as IAM sends them; booleans {@code true}/{@code false}.
 * Members absent from the tree, or unknown to the model, are not written.
 */
final class XmlOutputWriter {
    private final ServiceModel model;

    XmlOutputWriter(ServiceModel model) {
        this.model = model;
    }

    void members(Shape structure, JsonNode node, StringBuilder out) {
        for (Map.Entry<String, Member> m : structure.members().entrySet()) {
            JsonNode value = node.get(m.getKey());
            if (value == null || value.isNull()) continue;
            element(m.getKey(), model.shape(m.getValue()), value, out);
        }
    }

    private void element(String name, Shape shape, JsonNode value, StringBuilder out) {
        out.append('<').append(name).append('>');
        switch (shape.type()) {
            case STRUCTURE -> members(shape, value, out);
            case LIST -> {
                Shape element = model.shape(shape.element());
                for (JsonNode item : value) {
                    if (!item.isNull()) element("member", element, item, out);
                }
            }
            case MAP -> {
                Shape valueShape = model.shape(shape.value());
                for (Map.Entry<String, JsonNode> e : value.properties()) {
                    out.append("<entry><key>");
                    escape(e.getKey(), out);
                    out.append("</key>");
                    if (!e.getValue().isNull()) element("value", valueShape, e.getValue(), out);
                    out.append("</entry>");
                }
            }
            case TIMESTAMP -> escape(timestamp(value), out);
            default -> escape(value.asText(), out);
        }
        out.append("</").append(name).append('>');
    }

    private static String timestamp(JsonNode value) {
        Instant at;
        if (value.isNumber()) {
            BigDecimal millis = value.decimalValue().movePointRight(3);
            at = Instant.ofEpochMilli(millis.longValue());
        } else {
            at = Instant.parse(value.asText());
        }
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') out.append("&#").append((int) c).append(';');
                    else out.append(c);
                }
            }
        }
    }
}
