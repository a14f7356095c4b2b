package dev.coffer.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.secrets.SecretsManagerMessages.RotationRules;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How often a rotation schedule rotates: days, rates, and a cron schedule's longest gap between firing days. */
class RotationFrequencyTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-12-01");

    private static Optional<Duration> of(Long days, String expression) {
        return RotationFrequency.of(new RotationRules(days, null, expression), TODAY);
    }

    @Test
    void daysAndRatesAreTheirOwnFrequency() {
        assertThat(of(30L, null)).contains(Duration.ofDays(30));
        assertThat(of(null, "rate(10 days)")).contains(Duration.ofDays(10));
        assertThat(of(null, "rate(1 day)")).contains(Duration.ofDays(1));
        assertThat(of(null, "rate(12 hours)")).contains(Duration.ofHours(12));
        assertThat(RotationFrequency.of(null, TODAY)).isEmpty();
        assertThat(of(null, "rate(0 days)")).isEmpty();
        assertThat(of(null, "every tuesday")).isEmpty();
    }

    @Test
    void aCronScheduleIsAsStrictAsItsLongestGap() {
        assertThat(of(null, "cron(0 16 1,15 * ? *)")).as("1st and 15th: 31 Jan → 15 Feb is the longest").contains(Duration.ofDays(17));
        assertThat(of(null, "cron(0 8 ? * MON *)")).as("weekly").contains(Duration.ofDays(7));
        assertThat(of(null, "cron(0 8 ? * MON-FRI *)")).as("weekdays: Friday → Monday").contains(Duration.ofDays(3));
        assertThat(of(null, "cron(0 0/4 * * ? *)")).as("several times a day is every day").contains(Duration.ofDays(1));
        assertThat(of(null, "cron(0 0 1 */3 ? *)")).as("quarterly").contains(Duration.ofDays(92));
        assertThat(of(null, "cron(0 0 L * ? *)")).as("last day of each month").contains(Duration.ofDays(31));
        assertThat(of(null, "cron(0 0 ? * 2#1 *)")).as("first Monday of each month").contains(Duration.ofDays(35));
        assertThat(of(null, "cron(0 0 ? * 6L *)")).as("last Friday of each month").contains(Duration.ofDays(35));
        assertThat(of(null, "cron(0 0 1 JAN ? *)")).as("yearly").contains(Duration.ofDays(365));
    }

    @Test
    void aCronScheduleThatNeverFiresOrCannotBeReadHasNoFrequency() {
        assertThat(of(null, "cron(0 0 1 1 ? 2020)")).as("only in the past").isEmpty();
        assertThat(of(null, "cron(0 0 1 1 ?)")).as("five fields").isEmpty();
        assertThat(of(null, "cron(0 0 ? * 3# *)")).isEmpty();
        assertThat(of(null, "cron(0 0 X * ? *)")).isEmpty();
    }
}
