package dev.coffer.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Exact views of JSON numbers, whichever Jackson node type the parser chose (int, long,
 * big integer, double or big decimal), so range checks never lose precision or overflow.
 */
final class JsonNumbers {
    private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private JsonNumbers() {
    }

    /** The exact value of a numeric node, or null for a non-finite double. */
    static BigDecimal exact(JsonNode number) {
        if (number.isIntegralNumber()) {
            return new BigDecimal(number.bigIntegerValue());
        }
        if (number.isDouble() || number.isFloat()) {
            double d = number.doubleValue();
            return Double.isFinite(d) ? new BigDecimal(d) : null;
        }
        return number.decimalValue();
    }

    static boolean isIntegral(BigDecimal value) {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    /** Whether an integral value fits the Java type an integer or long shape maps to. */
    static boolean fits(BigDecimal value, ShapeType type) {
        BigDecimal min = type == ShapeType.INTEGER ? INT_MIN : LONG_MIN;
        BigDecimal max = type == ShapeType.INTEGER ? INT_MAX : LONG_MAX;
        return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
    }

    static BigInteger integral(BigDecimal value) {
        return value.toBigIntegerExact();
    }
}
