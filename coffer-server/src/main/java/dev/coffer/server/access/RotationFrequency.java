package dev.coffer.server.access;

import dev.coffer.server.secrets.SecretsManagerMessages.RotationRules;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a secret's automatic rotation schedule rotates it: {@code AutomaticallyAfterDays},
 * {@code rate(N hours|days)}, or for {@code cron(...)} the longest gap between two days it fires on
 * (a cron schedule's policy is only as strict as its longest gap).
 */
final class RotationFrequency {
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (hour|hours|day|days)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");

    private RotationFrequency() {}

    /** The frequency, or empty when the rules name none that Coffer can read (or one that never fires). */
    static Optional<Duration> of(RotationRules rules, LocalDate today) {
        if (rules == null) return Optional.empty();
        if (rules.AutomaticallyAfterDays() != null && rules.AutomaticallyAfterDays() > 0) {
            return Optional.of(Duration.ofDays(rules.AutomaticallyAfterDays()));
        }
        String expression = rules.ScheduleExpression() == null ? "" : rules.ScheduleExpression().strip();
        Matcher rate = RATE.matcher(expression);
        if (rate.matches()) {
            long n = Long.parseLong(rate.group(1));
            if (n == 0) return Optional.empty();
            return Optional.of(rate.group(2).startsWith("hour") ? Duration.ofHours(n) : Duration.ofDays(n));
        }
        Matcher cron = CRON.matcher(expression);
        if (cron.matches()) return CronDays.parse(cron.group(1)).flatMap(c -> c.longestGap(today));
        return Optional.empty();
    }
}
