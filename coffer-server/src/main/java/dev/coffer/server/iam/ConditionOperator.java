package dev.coffer.server.iam;

import java.util.Locale;

/**
 * IAM's condition operators, without the {@code IfExists} suffix and set qualifier (those are
 * {@link Condition}'s). Each is a comparison family and, for the "Not" ones, a negation of the
 * positive form: a negated operator is true when no policy value matches, so on a missing key
 * it is true (AWS: "StringNotEquals … evaluates to true if the key is not present").
 */
enum ConditionOperator {
    StringEquals(Family.STRING, Compare.EQ, false),
    StringNotEquals(Family.STRING, Compare.EQ, true),
    StringEqualsIgnoreCase(Family.STRING_IGNORE_CASE, Compare.EQ, false),
    StringNotEqualsIgnoreCase(Family.STRING_IGNORE_CASE, Compare.EQ, true),
    StringLike(Family.STRING_LIKE, Compare.EQ, false),
    StringNotLike(Family.STRING_LIKE, Compare.EQ, true),
    NumericEquals(Family.NUMERIC, Compare.EQ, false),
    NumericNotEquals(Family.NUMERIC, Compare.EQ, true),
    NumericLessThan(Family.NUMERIC, Compare.LT, false),
    NumericLessThanEquals(Family.NUMERIC, Compare.LE, false),
    NumericGreaterThan(Family.NUMERIC, Compare.GT, false),
    NumericGreaterThanEquals(Family.NUMERIC, Compare.GE, false),
    DateEquals(Family.DATE, Compare.EQ, false),
    DateNotEquals(Family.DATE, Compare.EQ, true),
    DateLessThan(Family.DATE, Compare.LT, false),
    DateLessThanEquals(Family.DATE, Compare.LE, false),
    DateGreaterThan(Family.DATE, Compare.GT, false),
    DateGreaterThanEquals(Family.DATE, Compare.GE, false),
    Bool(Family.BOOL, Compare.EQ, false),
    BinaryEquals(Family.BINARY, Compare.EQ, false),
    IpAddress(Family.IP, Compare.EQ, false),
    NotIpAddress(Family.IP, Compare.EQ, true),
    ArnEquals(Family.ARN, Compare.EQ, false),
    ArnLike(Family.ARN, Compare.EQ, false),
    ArnNotEquals(Family.ARN, Compare.EQ, true),
    ArnNotLike(Family.ARN, Compare.EQ, true),
    Null(Family.NULL, Compare.EQ, false);

    enum Family { STRING, STRING_IGNORE_CASE, STRING_LIKE, NUMERIC, DATE, BOOL, BINARY, IP, ARN, NULL }

    enum Compare { EQ, LT, LE, GT, GE }

    final Family family;
    final Compare compare;
    final boolean negated;

    ConditionOperator(Family family, Compare compare, boolean negated) {
        this.family = family;
        this.compare = compare;
        this.negated = negated;
    }

    /** The operator named exactly so (IAM's operator names are case-insensitive), or null. */
    static ConditionOperator named(String name) {
        for (ConditionOperator op : values()) if (op.name().equalsIgnoreCase(name)) return op;
        return null;
    }

    boolean compares(int order) {
        return switch (compare) {
            case EQ -> order == 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
        };
    }

    String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
