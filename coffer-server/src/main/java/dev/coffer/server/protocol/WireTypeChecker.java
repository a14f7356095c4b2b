package dev.coffer.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The first pass over a request body: every member the model knows must have a JSON type its
 * shape can be read from, or the request fails with {@code SerializationException}. This pass
 * runs before any constraint check (AWS answers a type error even when constraints are also
 * broken) and walks the body in document order, stopping at the first error, as AWS's
 * streaming deserializer does.
 *
 * <p>Messages follow AWS's wording. These were seen in answers from AWS JSON services on the
 * same framework (Athena, CodeDeploy, SQS, SES, Kinesis, X-Ray), not from Secrets Manager
 * itself: "STRING_VALUE can not be converted to an Integer", "TRUE_VALUE can not be converted
 * to an Integer", "NUMBER_VALUE can not be converted to a String", "TRUE_VALUE can not be
 * converted to a String", "NUMBER_VALUE can not be converted to a Boolean", "Start of list
 * found where not expected", "Start of structure or map found where not expected.",
 * "Expected list or null", "Expected map or null", "Expected null" (structure),
 * "STRING_VALUE can not be converted to milliseconds since epoch" (timestamp), and the base64
 * reasons in {@link StrictBase64}. The other pairings (a Long, a Float, a Double, a Blob, a
 * Boolean from a string) follow the same pattern but were not seen. A number with a fraction
 * for an integer or long is refused as "NUMBER_VALUE can not be converted to ..."; AWS may
 * instead truncate it, which was not confirmed either way.
 *
 * <p>Members the model does not know are ignored: AWS accepts them so that older servers
 * keep working with newer clients, and so does Coffer. A JSON null is the same as an
 * absent member. No message ever contains a member's value, except the text of a
 * non-sensitive blob that is not valid base64, as AWS does.
 */
final class WireTypeChecker {
    static final String LIST_NOT_EXPECTED = "Start of list found where not expected";
    static final String OBJECT_NOT_EXPECTED = "Start of structure or map found where not expected.";

    private final ServiceModel model;

    WireTypeChecker(ServiceModel model) {
        this.model = model;
    }

    /**
     * Checks a non-null node against a shape. {@code sensitive}: the node is, or is part of, a
     * sensitive value.
     */
    void check(Shape shape, boolean sensitive, JsonNode node) {
        boolean hidden = sensitive || shape.sensitive();
        switch (shape.type()) {
            case STRUCTURE -> structure(shape, hidden, node);
            case LIST -> list(shape, hidden, node);
            case MAP -> map(shape, hidden, node);
            case STRING -> scalar(node, node.isTextual(), "a String");
            case BOOLEAN -> scalar(node, node.isBoolean(), "a Boolean");
            case FLOAT -> scalar(node, isFiniteNumber(node), "a Float");
            case DOUBLE -> scalar(node, isFiniteNumber(node), "a Double");
            case TIMESTAMP -> scalar(node, isFiniteNumber(node), "milliseconds since epoch");
            case INTEGER -> integral(shape, node, "an Integer");
            case LONG -> integral(shape, node, "a Long");
            case BLOB -> blob(node, hidden);
        }
    }

    private void structure(Shape shape, boolean hidden, JsonNode node) {
        if (node.isArray()) {
            throw fail(LIST_NOT_EXPECTED);
        }
        if (!node.isObject()) {
            throw fail("Expected null");
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            Member member = shape.members().get(field.getKey());
            if (member != null && !field.getValue().isNull()) {
                check(model.shape(member), hidden || member.sensitive(), field.getValue());
            }
        }
    }

    private void list(Shape shape, boolean hidden, JsonNode node) {
        if (node.isObject()) {
            throw fail(OBJECT_NOT_EXPECTED);
        }
        if (!node.isArray()) {
            throw fail("Expected list or null");
        }
        Shape element = model.shape(shape.element());
        for (JsonNode item : node) {
            if (!item.isNull()) {
                check(element, hidden || shape.element().sensitive(), item);
            }
        }
    }

    private void map(Shape shape, boolean hidden, JsonNode node) {
        if (node.isArray()) {
            throw fail(LIST_NOT_EXPECTED);
        }
        if (!node.isObject()) {
            throw fail("Expected map or null");
        }
        Shape value = model.shape(shape.value());
        for (JsonNode item : node) {
            if (!item.isNull()) {
                check(value, hidden || shape.value().sensitive(), item);
            }
        }
    }

    private static void scalar(JsonNode node, boolean fits, String target) {
        if (!fits) {
            throw mismatch(node, target);
        }
    }

    /**
     * An integer or long must be a whole number. A whole number beyond the Java type's range
     * is left to the constraint pass when the shape has a bound on that side: AWS then reports
     * the bound ("Value at 'maxResults' failed to satisfy constraint: Member must have value
     * less than or equal to 50", recorded against Athena), not a type error.
     */
    private static void integral(Shape shape, JsonNode node, String target) {
        if (!node.isNumber()) {
            throw mismatch(node, target);
        }
        BigDecimal value = JsonNumbers.exact(node);
        if (value == null || !JsonNumbers.isIntegral(value)) {
            throw mismatch(node, target);
        }
        if (!JsonNumbers.fits(value, shape.type())) {
            BigDecimal bound = value.signum() > 0 ? shape.max() : shape.min();
            if (bound == null) {
                throw mismatch(node, target);
            }
        }
    }

    private static void blob(JsonNode node, boolean sensitive) {
        if (!node.isTextual()) {
            throw mismatch(node, "a Blob");
        }
        String problem = StrictBase64.problem(node.asText());
        if (problem != null) {
            String value = sensitive ? "Value" : "'" + node.asText() + "'";
            throw fail(value + " can not be converted to a Blob: " + problem);
        }
    }

    private static boolean isFiniteNumber(JsonNode node) {
        return node.isNumber() && JsonNumbers.exact(node) != null;
    }

    private static ServiceException mismatch(JsonNode node, String target) {
        if (node.isArray()) {
            return fail(LIST_NOT_EXPECTED);
        }
        if (node.isObject()) {
            return fail(OBJECT_NOT_EXPECTED);
        }
        return fail(token(node) + " can not be converted to " + target);
    }

    private static String token(JsonNode node) {
        if (node.isTextual()) {
            return "STRING_VALUE";
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "TRUE_VALUE" : "FALSE_VALUE";
        }
        return "NUMBER_VALUE";
    }

    static ServiceException fail(String message) {
        return new ServiceException(ErrorCode.SerializationException, message);
    }
}
