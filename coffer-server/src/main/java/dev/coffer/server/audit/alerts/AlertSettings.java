package dev.coffer.server.audit.alerts;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The alert rules' thresholds, from an optional properties file (every key optional; see {@link #KEYS}).
 *
 * @param enabled            false: no alert engine runs
 * @param learningPeriod     how long baselines only learn: from the engine's first run, and for each principal and
 *                           secret from when it is first seen, no baseline rule fires
 * @param checkEvery         how often the engine reads the new events of the audit log
 * @param spikeSigma         a read spike is this many deviations above the usual hourly rate
 * @param spikeMinReads      ... and at least this many reads in the hour
 * @param rateHalfLife       how fast the usual hourly rate forgets: the weight of an hour halves after this long
 * @param probingDenials     this many refusals of one principal or one source IP ...
 * @param probingWindow      ... within this long is probing
 * @param hygieneEvery       how often the hygiene report is run for expiry reminders and overdue rotations
 * @param expiryReminderDays remind this many days ahead of a hand-rotated secret's expiry, once per threshold
 */
public record AlertSettings(boolean enabled, Duration learningPeriod, Duration checkEvery, double spikeSigma,
                            int spikeMinReads, Duration rateHalfLife, int probingDenials, Duration probingWindow,
                            Duration hygieneEvery, List<Integer> expiryReminderDays) {

    /** The file in the data directory the server reads them from, when it is there. */
    public static final String FILE = "alerts.properties";
    static final Set<String> KEYS = Set.of("enabled", "learning-period", "check-interval", "spike.sigma", "spike.min-reads",
            "spike.rate-half-life", "probing.denials", "probing.window", "hygiene.interval", "hygiene.expiry-reminder-days");

    public AlertSettings {
        positive("learning-period", learningPeriod, true);
        positive("check-interval", checkEvery, false);
        positive("spike.rate-half-life", rateHalfLife, false);
        positive("probing.window", probingWindow, false);
        positive("hygiene.interval", hygieneEvery, false);
        if (!(spikeSigma > 0) || spikeSigma > 1000) throw invalid("spike.sigma", "a number above 0 and at most 1000");
        if (spikeMinReads < 1) throw invalid("spike.min-reads", "a whole number of at least 1");
        if (probingDenials < 1) throw invalid("probing.denials", "a whole number of at least 1");
        expiryReminderDays = expiryReminderDays.stream().sorted().distinct().toList();
        if (expiryReminderDays.isEmpty() || expiryReminderDays.getFirst() < 0 || expiryReminderDays.getLast() > 365) {
            throw invalid("hygiene.expiry-reminder-days", "a comma-separated list of days from 0 to 365");
        }
    }

    public static AlertSettings defaults() {
        return new AlertSettings(true, Duration.ofDays(7), Duration.ofSeconds(5), 4.0, 20, Duration.ofDays(3), 10,
                Duration.ofMinutes(5), Duration.ofDays(1), List.of(30, 7, 1));
    }

    /** The settings in {@code file}, the defaults for what it does not say; the defaults when there is no file. */
    public static AlertSettings load(Path file) {
        if (!Files.exists(file)) return defaults();
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the alert settings in " + file + ": " + e.getMessage(), e);
        }
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) throw new IllegalArgumentException(file + ": unknown alert setting '" + key + "'; known: "
                    + String.join(", ", KEYS.stream().sorted().toList()));
        }
        AlertSettings d = defaults();
        try {
            return new AlertSettings(bool(p, "enabled", d.enabled), duration(p, "learning-period", d.learningPeriod),
                    duration(p, "check-interval", d.checkEvery), number(p, "spike.sigma", d.spikeSigma),
                    whole(p, "spike.min-reads", d.spikeMinReads), duration(p, "spike.rate-half-life", d.rateHalfLife),
                    whole(p, "probing.denials", d.probingDenials), duration(p, "probing.window", d.probingWindow),
                    duration(p, "hygiene.interval", d.hygieneEvery), days(p, d.expiryReminderDays));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static boolean bool(Properties p, String key, boolean otherwise) {
        String v = p.getProperty(key);
        if (v == null) return otherwise;
        if (v.strip().equalsIgnoreCase("true")) return true;
        if (v.strip().equalsIgnoreCase("false")) return false;
        throw invalid(key, "true or false");
    }

    private static Duration duration(Properties p, String key, Duration otherwise) {
        String v = p.getProperty(key);
        if (v == null) return otherwise;
        try {
            return Duration.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw invalid(key, "an ISO 8601 duration such as PT5M or P7D");
        }
    }

    private static double number(Properties p, String key, double otherwise) {
        String v = p.getProperty(key);
        if (v == null) return otherwise;
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw invalid(key, "a number");
        }
    }

    private static int whole(Properties p, String key, int otherwise) {
        String v = p.getProperty(key);
        if (v == null) return otherwise;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw invalid(key, "a whole number");
        }
    }

    private static List<Integer> days(Properties p, List<Integer> otherwise) {
        String key = "hygiene.expiry-reminder-days";
        String v = p.getProperty(key);
        if (v == null) return otherwise;
        List<Integer> all = new ArrayList<>();
        try {
            for (String part : v.split(",")) all.add(Integer.parseInt(part.strip()));
        } catch (NumberFormatException e) {
            throw invalid(key, "a comma-separated list of days from 0 to 365");
        }
        return all;
    }

    private static void positive(String key, Duration d, boolean zeroAllowed) {
        if (d == null || d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw invalid(key, zeroAllowed ? "a duration of zero or more" : "a positive duration");
        }
    }

    private static IllegalArgumentException invalid(String key, String expected) {
        return new IllegalArgumentException("the alert setting " + key + " must be " + expected);
    }
}
