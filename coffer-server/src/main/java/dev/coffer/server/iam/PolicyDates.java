package dev.coffer.server.iam;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Date values of Date* conditions, as IAM reads them: epoch seconds ({@code 1700000000}, a
 * fraction allowed) or ISO 8601 with as much precision as given — {@code 2026}, {@code 2026-12},
 * {@code 2026-12-01}, {@code 2026-12-01T13}, {@code …T13:05}, {@code …T13:05:09.123}, then
 * optionally {@code Z} or an offset {@code +01:00} / {@code -0130} (none: UTC). The last text
 * parsed from a request is remembered (aws:CurrentTime is the same string for every condition of
 * one request).
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
        if (isEpoch(s)) {
            try {
                return Math.round(Double.parseDouble(s) * 1000);
            } catch (NumberFormatException e) {
                return INVALID;
            }
        }
        try {
            return iso(s);
        } catch (DateTimeException | NumberFormatException | IndexOutOfBoundsException e) {
            return INVALID;
        }
    }

    private static boolean isEpoch(String s) {
        boolean digits = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') digits = true;
            else if (c != '.') return false;
        }
        return digits;
    }

    private static long iso(String s) {
        int[] at = {0};
        int year = number(s, at, 4, 4);
        int month = 1;
        int day = 1;
        int hour = 0;
        int minute = 0;
        int second = 0;
        int nanos = 0;
        if (at[0] < s.length() && s.charAt(at[0]) == '-') {
            at[0]++;
            month = number(s, at, 2, 2);
            if (at[0] < s.length() && s.charAt(at[0]) == '-') {
                at[0]++;
                day = number(s, at, 2, 2);
            }
        }
        if (at[0] < s.length() && (s.charAt(at[0]) == 'T' || s.charAt(at[0]) == 't')) {
            at[0]++;
            hour = number(s, at, 2, 2);
            if (at[0] < s.length() && s.charAt(at[0]) == ':') {
                at[0]++;
                minute = number(s, at, 2, 2);
                if (at[0] < s.length() && s.charAt(at[0]) == ':') {
                    at[0]++;
                    second = number(s, at, 2, 2);
                    if (at[0] < s.length() && s.charAt(at[0]) == '.') {
                        at[0]++;
                        int start = at[0];
                        int fraction = number(s, at, 1, 9);
                        nanos = fraction * (int) Math.pow(10, 9 - (at[0] - start));
                    }
                }
            }
        }
        int offsetSeconds = 0;
        if (at[0] < s.length()) {
            char c = s.charAt(at[0]++);
            if (c == 'Z' || c == 'z') {
                offsetSeconds = 0;
            } else if (c == '+' || c == '-') {
                int h = number(s, at, 2, 2);
                int m = 0;
                if (at[0] < s.length() && s.charAt(at[0]) == ':') at[0]++;
                if (at[0] < s.length()) m = number(s, at, 2, 2);
                if (h > 23 || m > 59) throw new DateTimeException("offset");
                offsetSeconds = (c == '-' ? -1 : 1) * (h * 3600 + m * 60);
            } else {
                throw new DateTimeException("unexpected " + c);
            }
        }
        if (at[0] != s.length()) throw new DateTimeException("trailing text");
        return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds)).toEpochMilli();
    }

    /** Reads between min and max digits at at[0]. */
    private static int number(String s, int[] at, int min, int max) {
        int start = at[0];
        int value = 0;
        while (at[0] < s.length() && at[0] - start < max && Character.isDigit(s.charAt(at[0]))) {
            value = value * 10 + (s.charAt(at[0]++) - '0');
        }
        if (at[0] - start < min) throw new DateTimeException("digits expected");
        return value;
    }
}
