package dev.coffer.server.access;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The days an AWS cron expression ({@code minutes hours day-of-month month day-of-week year}, as
 * EventBridge and Secrets Manager rotation schedules write it) fires on. Minutes and hours are not
 * read: the report measures rotation in days, and a schedule that fires several times a day fires
 * every day it fires at all. {@code nW} (nearest weekday) is read as day n, at most two days off.
 */
final class CronDays {
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
            "NOV", "DEC");
    private static final List<String> WEEKDAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** Two years and a day: every gap of a yearly schedule is seen in full. */
    private static final int HORIZON_DAYS = 732;

    private final String dayOfMonth;
    private final String month;
    private final String dayOfWeek;
    private final String year;

    private CronDays(String dayOfMonth, String month, String dayOfWeek, String year) {
        this.dayOfMonth = dayOfMonth;
        this.month = month;
        this.dayOfWeek = dayOfWeek;
        this.year = year;
    }

    /** The expression inside {@code cron(...)}; empty when it does not have six fields. */
    static Optional<CronDays> parse(String fields) {
        String[] f = fields.strip().toUpperCase(Locale.ROOT).split("\\s+");
        if (f.length != 6) return Optional.empty();
        return Optional.of(new CronDays(f[2], f[3], f[4], f[5]));
    }

    /** The longest gap between consecutive firing days from {@code from} on, or empty when it never fires. */
    Optional<Duration> longestGap(LocalDate from) {
        try {
            LocalDate previous = null;
            long longest = 0;
            for (int i = 0; i <= HORIZON_DAYS; i++) {
                LocalDate day = from.plusDays(i);
                if (!fires(day)) continue;
                if (previous != null) longest = Math.max(longest, day.toEpochDay() - previous.toEpochDay());
                previous = day;
            }
            if (previous == null) return Optional.empty();
            // Fired once only in two years (a yearly or one-off schedule): the gap is at least the horizon.
            return Optional.of(Duration.ofDays(longest == 0 ? HORIZON_DAYS : Math.max(longest, 1)));
        } catch (RuntimeException unreadable) { // a field Coffer cannot read (bad number, "3#", day 0): no frequency
            return Optional.empty();
        }
    }

    boolean fires(LocalDate day) {
        return matches(year, day.getYear(), 1970, 2199, List.of())
                && matches(month, day.getMonthValue(), 1, 12, MONTHS)
                && dayOfMonthMatches(day) && dayOfWeekMatches(day);
    }

    private boolean dayOfMonthMatches(LocalDate day) {
        String f = dayOfMonth;
        if (f.equals("?") || f.equals("*")) return true;
        int last = day.lengthOfMonth();
        if (f.equals("L")) return day.getDayOfMonth() == last;
        if (f.equals("LW")) return day.equals(nearestWeekday(day.withDayOfMonth(last)));
        if (f.endsWith("W")) {
            int n = Integer.parseInt(f.substring(0, f.length() - 1));
            return n <= last && day.equals(nearestWeekday(day.withDayOfMonth(n)));
        }
        return matches(f, day.getDayOfMonth(), 1, 31, List.of());
    }

    private boolean dayOfWeekMatches(LocalDate day) {
        String f = dayOfWeek;
        if (f.equals("?") || f.equals("*")) return true;
        int weekday = day.getDayOfWeek().getValue() % 7 + 1; // cron: 1 = SUN … 7 = SAT
        if (f.contains("#")) {
            String[] parts = f.split("#");
            int wanted = value(parts[0], WEEKDAYS, 1);
            int nth = Integer.parseInt(parts[1]);
            return weekday == wanted && (day.getDayOfMonth() - 1) / 7 + 1 == nth;
        }
        if (f.endsWith("L") && f.length() > 1) {
            int wanted = value(f.substring(0, f.length() - 1), WEEKDAYS, 1);
            return weekday == wanted && day.plusWeeks(1).getMonthValue() != day.getMonthValue();
        }
        return matches(f, weekday, 1, 7, WEEKDAYS);
    }

    private static LocalDate nearestWeekday(LocalDate day) {
        DayOfWeek dow = day.getDayOfWeek();
        if (dow == DayOfWeek.SATURDAY) {
            LocalDate friday = day.minusDays(1);
            return friday.getMonthValue() == day.getMonthValue() ? friday : day.plusDays(2);
        }
        if (dow == DayOfWeek.SUNDAY) {
            LocalDate monday = day.plusDays(1);
            return monday.getMonthValue() == day.getMonthValue() ? monday : day.with(TemporalAdjusters.previous(DayOfWeek.FRIDAY));
        }
        return day;
    }

    /** A field of lists, ranges ({@code a-b}) and steps ({@code a/n}, {@code *}/n, {@code a-b/n}), by number or name. */
    private static boolean matches(String field, int value, int min, int max, List<String> names) {
        if (field.equals("*") || field.equals("?")) return true;
        for (String part : field.split(",")) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = Integer.parseInt(part.substring(slash + 1));
                if (step < 1) throw new IllegalArgumentException("step");
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-");
                from = value(ends[0], names, min);
                to = value(ends[1], names, min);
            } else {
                from = value(range, names, min);
                to = slash >= 0 ? max : from;
            }
            if (value >= from && value <= to && (value - from) % step == 0) return true;
        }
        return false;
    }

    private static int value(String token, List<String> names, int first) {
        int named = names.indexOf(token);
        if (named >= 0) return named + first;
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a cron value: " + token, e);
        }
    }
}
