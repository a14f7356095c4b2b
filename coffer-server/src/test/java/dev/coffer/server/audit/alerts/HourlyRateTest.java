package dev.coffer.server.audit.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.coffer.server.store.AlertRepository.Rate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HourlyRateTest {
    private static final long H = HourlyRate.HOUR_MILLIS;
    private final HourlyRate rates = new HourlyRate(Duration.ofHours(24));

    private Rate hours(Rate r, long fromHour, int hours, int perHour) {
        for (long h = fromHour; h < fromHour + hours; h++) {
            for (int i = 0; i < perHour; i++) r = HourlyRate.counted(rates.at(r, h * H + i));
        }
        return r;
    }

    @Test
    void aSteadyRateIsItsOwnMeanWithNoDeviation() {
        Rate r = hours(HourlyRate.start('S', "s", 0), 0, 48, 3);
        r = rates.at(r, 48 * H);
        assertThat(r.mean()).isEqualTo(3.0);
        assertThat(r.variance()).isEqualTo(0.0);
        assertThat(r.hours()).isEqualTo(48);
        assertThat(HourlyRate.threshold(r, 4, 1)).as("3 + 4·√3: chance variation of a count").isCloseTo(9.93, within(0.01));
        assertThat(HourlyRate.threshold(r, 4, 20)).as("never below the minimum").isEqualTo(20.0);
    }

    @Test
    void quietHoursCountAsZeroAndTheMeanDecaysByItsHalfLife() {
        Rate r = hours(HourlyRate.start('S', "s", 0), 0, 1, 10);
        r = rates.at(r, 25 * H); // the first hour (10), then 24 quiet hours
        assertThat(r.hours()).isEqualTo(25);
        assertThat(r.mean()).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void anEventStampedBeforeTheCurrentHourCountsInIt() {
        Rate r = hours(HourlyRate.start('S', "s", 0), 5, 1, 2);
        Rate late = HourlyRate.counted(rates.at(r, 4 * H));
        assertThat(late.bucketHour()).isEqualTo(5);
        assertThat(late.bucketCount()).isEqualTo(3);
    }
}
