package dev.coffer.server.iam;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * One compiled condition: operator, optional set qualifier ({@code ForAnyValue:} /
 * {@code ForAllValues:}), optional {@code IfExists}, one condition key and its policy values.
 *
 * <p>AWS semantics: the policy values of one key are ORed; a statement's conditions are ANDed
 * (by {@link PolicyStatement}). On a key the request lacks: {@code …IfExists} is true, a
 * negated operator is true, {@code ForAllValues} is true, {@code ForAnyValue} and every other
 * operator false. {@code Null} tests presence itself. Without a qualifier a multi-valued key
 * matches when any of its values matches (negated: when none does).
 *
 * <p>Values are compiled at parse time (numbers, dates, CIDRs, base64, wildcard patterns);
 * unparsable numbers, dates or CIDRs in a policy match nothing (IAM stores them too).
 */
final class Condition {
    enum Qualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    private final ConditionOperator op;
    private final Qualifier qualifier;
    private final boolean ifExists;
    private final String key;
    private final PolicyText[] texts;
    private final double[] numbers;
    private final long[] dates;
    private final IpRange[] ranges;
    private final byte[][] binaries;
    private final boolean[] nulls;

    Condition(ConditionOperator op, Qualifier qualifier, boolean ifExists, String key, List<String> values, boolean variables) {
        this.op = op;
        this.qualifier = qualifier;
        this.ifExists = ifExists;
        this.key = key;
        int n = values.size();
        PolicyText[] texts = null;
        double[] numbers = null;
        long[] dates = null;
        IpRange[] ranges = null;
        byte[][] binaries = null;
        boolean[] nulls = null;
        switch (op.family) {
            case STRING, STRING_IGNORE_CASE, STRING_LIKE, ARN, BOOL -> {
                texts = new PolicyText[n];
                for (int i = 0; i < n; i++) texts[i] = PolicyText.of(values.get(i), variables && op.family != ConditionOperator.Family.BOOL);
            }
            case NUMERIC -> {
                numbers = new double[n];
                for (int i = 0; i < n; i++) numbers[i] = number(values.get(i));
            }
            case DATE -> {
                dates = new long[n];
                for (int i = 0; i < n; i++) dates[i] = PolicyDates.parse(values.get(i));
            }
            case IP -> {
                ranges = new IpRange[n];
                for (int i = 0; i < n; i++) ranges[i] = IpRange.parse(values.get(i));
            }
            case BINARY -> {
                binaries = new byte[n][];
                for (int i = 0; i < n; i++) binaries[i] = base64(values.get(i));
            }
            case NULL -> {
                nulls = new boolean[n];
                for (int i = 0; i < n; i++) nulls[i] = Boolean.parseBoolean(values.get(i).trim());
            }
        }
        this.texts = texts;
        this.numbers = numbers;
        this.dates = dates;
        this.ranges = ranges;
        this.binaries = binaries;
        this.nulls = nulls;
    }

    String key() {
        return key;
    }

    void addKeys(Set<String> into) {
        into.add(key);
        if (texts != null) for (PolicyText t : texts) t.addVariableKeys(into);
    }

    boolean test(RequestContext ctx) {
        List<String> values = ctx.values(key);
        if (op.family == ConditionOperator.Family.NULL) {
            boolean absent = values == null;
            for (boolean b : nulls) if (b == absent) return true;
            return false;
        }
        if (values == null) {
            if (ifExists) return true;
            return switch (qualifier) {
                case FOR_ALL_VALUES -> true;
                case FOR_ANY_VALUE -> false;
                case NONE -> op.negated;
            };
        }
        switch (qualifier) {
            case FOR_ANY_VALUE -> {
                for (int i = 0, n = values.size(); i < n; i++) if (positive(values.get(i), ctx) != op.negated) return true;
                return false;
            }
            case FOR_ALL_VALUES -> {
                for (int i = 0, n = values.size(); i < n; i++) if (positive(values.get(i), ctx) == op.negated) return false;
                return true;
            }
            default -> {
                boolean any = false;
                for (int i = 0, n = values.size(); i < n && !any; i++) any = positive(values.get(i), ctx);
                return any != op.negated;
            }
        }
    }

    /** Whether one request value matches any policy value under the positive form of the operator. */
    private boolean positive(String value, RequestContext ctx) {
        switch (op.family) {
            case STRING -> {
                for (PolicyText t : texts) {
                    String p = t.resolve(ctx);
                    if (p != null && p.equals(value)) return true;
                }
            }
            case STRING_IGNORE_CASE -> {
                for (PolicyText t : texts) {
                    String p = t.resolve(ctx);
                    if (p != null && p.equalsIgnoreCase(value)) return true;
                }
            }
            case STRING_LIKE -> {
                for (PolicyText t : texts) {
                    int[] p = t.pattern(ctx);
                    if (p != null && Wildcard.matches(p, value, false)) return true;
                }
            }
            case ARN -> {
                for (PolicyText t : texts) {
                    int[] p = t.pattern(ctx);
                    if (p != null && Wildcard.matchesArn(p, value)) return true;
                }
            }
            case BOOL -> {
                for (PolicyText t : texts) if (t.raw().equalsIgnoreCase(value)) return true;
            }
            case NUMERIC -> {
                double v = number(value);
                if (Double.isNaN(v)) return false;
                for (double p : numbers) if (!Double.isNaN(p) && op.compares(Double.compare(v, p))) return true;
            }
            case DATE -> {
                long v = PolicyDates.parse(value);
                if (v == PolicyDates.INVALID) return false;
                for (long p : dates) if (p != PolicyDates.INVALID && op.compares(Long.compare(v, p))) return true;
            }
            case IP -> {
                for (IpRange r : ranges) if (r != null && r.contains(value)) return true;
            }
            case BINARY -> {
                byte[] v = base64(value);
                if (v == null) return false;
                for (byte[] p : binaries) if (p != null && Arrays.equals(p, v)) return true;
            }
            case NULL -> throw new IllegalStateException("Null is handled by test");
        }
        return false;
    }

    /** A decimal number (optional sign, digits, optional fraction); NaN for anything else (no hex, NaN, Infinity). */
    private static double number(String text) {
        String s = text.trim();
        boolean digit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') digit = true;
            else if (!(c == '.' || ((c == '-' || c == '+') && i == 0))) return Double.NaN;
        }
        if (!digit) return Double.NaN;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static byte[] base64(String s) {
        try {
            return Base64.getDecoder().decode(s.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
