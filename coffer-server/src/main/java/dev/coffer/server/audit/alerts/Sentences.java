package dev.coffer.server.audit.alerts;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The wording of alerts' explanations: times in UTC, rates to one decimal, durations in words. */
final class Sentences {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:00").withZone(ZoneOffset.UTC);

    private Sentences() {}

    static String clock(long millis) {
        return CLOCK.format(Instant.ofEpochMilli(millis)) + " UTC";
    }

    static String hour(long millis) {
        return HOUR.format(Instant.ofEpochMilli(millis)) + " UTC";
    }

    /** 12, 3.5, 0.2: a rate as people read it. */
    static String number(double x) {
        double rounded = Math.round(x * 10) / 10.0;
        return rounded == Math.rint(rounded) ? String.valueOf((long) rounded) : String.format(Locale.ROOT, "%.1f", rounded);
    }

    static String times(long n) {
        return n == 1 ? "once" : n + " times";
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) return plural(s / 86_400, "day");
        if (s % 3_600 == 0) return plural(s / 3_600, "hour");
        if (s % 60 == 0) return plural(s / 60, "minute");
        return plural(s, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    /** The hours of the day set in a 24-bit mask, as ranges: "08:00–17:59 and 22:00–22:59". */
    static String hours(int mask) {
        List<String> ranges = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            if ((mask & (1 << h)) == 0) continue;
            int end = h;
            while (end + 1 < 24 && (mask & (1 << (end + 1))) != 0) end++;
            ranges.add(String.format(Locale.ROOT, "%02d:00–%02d:59", h, end));
            h = end;
        }
        if (ranges.isEmpty()) return "none";
        if (ranges.size() == 1) return ranges.getFirst();
        return String.join(", ", ranges.subList(0, ranges.size() - 1)) + " and " + ranges.getLast();
    }
}
