package dev.coffer.server.audit.alerts;

import dev.coffer.server.store.AlertRepository.Rate;
import java.time.Duration;

/**
 * A subject's usual hourly read count: an exponentially weighted mean and variance of its past hours' counts (an
 * hour without reads counts as zero), with the current hour counted apart until it ends. Decayed, so a workload that
 * grows slowly moves its own baseline instead of alerting.
 */
final class HourlyRate {
    static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

    private final double alpha;
    /** Quiet hours beyond this many change the mean by less than a millionth: not worth folding in one by one. */
    private final int maxQuietHours;

    HourlyRate(Duration halfLife) {
        double hours = Math.max(1.0, halfLife.toMinutes() / 60.0);
        this.alpha = 1 - Math.pow(0.5, 1 / hours);
        this.maxQuietHours = (int) Math.min(100_000, Math.ceil(hours * 20));
    }

    static Rate start(char kind, String subject, long time) {
        return new Rate(kind, subject, time, time / HOUR_MILLIS, 0, 0, 0, 0);
    }

    /** The rate with the hour of {@code time} as its current hour: the hours before it folded into the mean. */
    Rate at(Rate r, long time) {
        long hour = time / HOUR_MILLIS;
        // An event stamped before the current hour (nodes' clocks differ slightly) counts in the current hour.
        if (hour <= r.bucketHour()) return r;
        double mean = r.mean();
        double variance = r.variance();
        long hours = r.hours();
        double[] mv = fold(mean, variance, hours, r.bucketCount());
        mean = mv[0];
        variance = mv[1];
        hours++;
        long quiet = Math.min(hour - r.bucketHour() - 1, maxQuietHours);
        for (long i = 0; i < quiet; i++) {
            mv = fold(mean, variance, hours, 0);
            mean = mv[0];
            variance = mv[1];
            hours++;
        }
        return new Rate(r.kind(), r.subject(), r.firstSeen(), hour, 0, mean, variance, hours);
    }

    static Rate counted(Rate r) {
        return new Rate(r.kind(), r.subject(), r.firstSeen(), r.bucketHour(), r.bucketCount() + 1, r.mean(), r.variance(),
                r.hours());
    }

    private double[] fold(double mean, double variance, long hours, long count) {
        if (hours == 0) return new double[] {count, 0};
        double delta = count - mean;
        return new double[] {mean + alpha * delta, (1 - alpha) * (variance + alpha * delta * delta)};
    }

    /**
     * The count above which the current hour is a spike: {@code sigma} deviations above the mean, where the deviation is at
     * least the square root of the mean (counts of independent reads vary that much by chance) and at least 1, and never
     * fewer than {@code minReads}.
     */
    static double threshold(Rate r, double sigma, int minReads) {
        double spread = Math.max(1, Math.max(Math.sqrt(r.variance()), Math.sqrt(r.mean())));
        return Math.max(minReads, r.mean() + sigma * spread);
    }
}
