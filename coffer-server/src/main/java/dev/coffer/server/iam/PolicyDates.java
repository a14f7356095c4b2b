package dev.coffer.server.iam;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Date values of Date* conditions: ISO 8601 (with or without zone; a date alone is midnight UTC)
 * or epoch seconds, as IAM accepts them. The last text parsed from a request is remembered
 * (aws:CurrentTime is the same string for every condition of one request).
 */
final class PolicyDates {
    static final long INVALID = Long.MIN_VALUE;

    private record Parsed(String text, long millis) {}

    private static volatile Parsed last = new Parsed("", INVALID);

    private PolicyDates() {}

    /** Epoch milliseconds, or {@link #INVALID}. */
    static long parse(String text) {
        Parsed p = last;
        if (p.text.equals(text)) return p.millis;
        long millis = parseUncached(text.trim());
        last = new Parsed(text, millis);
        return millis;
    }

    private static long parseUncached(String s) {
        if (s.isEmpty()) return INVALID;
        if (isNumber(s)) {
            try {
                return Math.round(Double.parseDouble(s) * 1000);
            } catch (NumberFormatException e) {
                return INVALID;
            }
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            return INVALID;
        }
    }

    private static boolean isNumber(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isDigit(c) || c == '.' || (i == 0 && c == '-'))) return false;
        }
        return true;
    }
}
