package dev.coffer.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a flat Query form into the JSON tree the typed request records bind from, guided by the
 * operation's input shape: a structure member {@code A} of a structure at {@code P} is
 * {@code P.A}; list elements are {@code A.member.N} (N from 1; {@code A=} alone is an empty
 * list); map entries are {@code A.entry.N.key} and {@code A.entry.N.value}. Scalars are typed by
 * their shape (integers, booleans {@code true}/{@code false}, ISO 8601 timestamps). Names the
 * model does not know are ignored, as AWS ignores them.
 */
final class QueryInputReader {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ServiceModel model;

    QueryInputReader(ServiceModel model) {
        this.model = model;
    }

    ObjectNode read(Shape input, QueryForm form) {
        ObjectNode node = structure(input, "", form);
        return node == null ? NODES.objectNode() : node;
    }

    private JsonNode value(Shape shape, String name, QueryForm form) {
        return switch (shape.type()) {
            case STRUCTURE -> structure(shape, name + ".", form);
            case LIST -> list(shape, name, form);
            case MAP -> map(shape, name, form);
            default -> scalar(shape, name, form.get(name));
        };
    }

    private ObjectNode structure(Shape shape, String prefix, QueryForm form) {
        ObjectNode node = NODES.objectNode();
        for (Map.Entry<String, Member> m : shape.members().entrySet()) {
            JsonNode child = value(model.shape(m.getValue()), prefix + m.getKey(), form);
            if (child != null) node.set(m.getKey(), child);
        }
        return node.isEmpty() ? null : node;
    }

    private JsonNode list(Shape shape, String name, QueryForm form) {
        TreeMap<Integer, String> positions = positions(name + ".member.", form);
        if (positions.isEmpty()) {
            return "".equals(form.get(name)) ? NODES.arrayNode() : null;
        }
        ArrayNode list = NODES.arrayNode();
        Shape element = model.shape(shape.element());
        for (String prefix : positions.values()) {
            JsonNode item = value(element, prefix, form);
            list.add(item == null ? NODES.nullNode() : item);
        }
        return list;
    }

    private JsonNode map(Shape shape, String name, QueryForm form) {
        TreeMap<Integer, String> positions = positions(name + ".entry.", form);
        if (positions.isEmpty()) {
            return "".equals(form.get(name)) ? NODES.objectNode() : null;
        }
        ObjectNode map = NODES.objectNode();
        for (String prefix : positions.values()) {
            String key = form.get(prefix + ".key");
            if (key == null) continue;
            JsonNode value = value(model.shape(shape.value()), prefix + ".value", form);
            map.set(key, value == null ? NODES.nullNode() : value);
        }
        return map;
    }

    /** The distinct positions N under {@code prefix} (e.g. {@code Tags.member.}), in numeric order. */
    private static TreeMap<Integer, String> positions(String prefix, QueryForm form) {
        TreeMap<Integer, String> out = new TreeMap<>();
        for (String key : form.values().keySet()) {
            if (!key.startsWith(prefix)) continue;
            int end = key.indexOf('.', prefix.length());
            String digits = key.substring(prefix.length(), end < 0 ? key.length() : end);
            if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) continue;
            int n = Integer.parseInt(digits);
            if (n >= 1) out.put(n, prefix + digits);
        }
        return out;
    }

    private static JsonNode scalar(Shape shape, String name, String text) {
        if (text == null) return null;
        return switch (shape.type()) {
            case INTEGER, LONG -> {
                try {
                    yield NODES.numberNode(new BigDecimal(text.trim()).toBigIntegerExact());
                } catch (NumberFormatException | ArithmeticException e) {
                    throw invalid(name, text, "an integer");
                }
            }
            case FLOAT, DOUBLE -> {
                try {
                    yield NODES.numberNode(new BigDecimal(text.trim()));
                } catch (NumberFormatException e) {
                    throw invalid(name, text, "a number");
                }
            }
            case BOOLEAN -> {
                if ("true".equalsIgnoreCase(text)) yield NODES.booleanNode(true);
                if ("false".equalsIgnoreCase(text)) yield NODES.booleanNode(false);
                throw invalid(name, text, "a boolean");
            }
            case TIMESTAMP -> {
                try {
                    Instant at = Instant.parse(text);
                    yield NODES.numberNode(BigDecimal.valueOf(at.toEpochMilli(), 3));
                } catch (DateTimeParseException e) {
                    throw invalid(name, text, "an ISO 8601 timestamp");
                }
            }
            default -> NODES.textNode(text);
        };
    }

    private static ServiceException invalid(String name, String text, String what) {
        return new ServiceException(ErrorCode.ValidationException,
                "1 validation error detected: Value '" + text + "' at '" + ConstraintChecker.lowerFirst(name)
                        + "' failed to satisfy constraint: Member must be " + what);
    }
}
