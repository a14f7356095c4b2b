package dev.coffer.server.audit.alerts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.audit.CloudTrailEvent;
import dev.coffer.server.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Raises the hygiene report's expiry reminders and overdue secrets as alerts: a job (daily by default) runs the report
 * and raises each finding once per secret and threshold — a reminder once for each configured number of days ahead of
 * the expiry it falls within (30, 7, 1 by default), an expired secret once per expiry date, an overdue rotation once per
 * current value — remembered in the store, so a restart or another node does not raise them again.
 */
public final class HygieneAlerts {
    private final Store store;
    private final AuditLog log;
    private final SecretHygiene hygiene;
    private final AlertSettings settings;
    private final Clock clock;
    private final AlertCounter counter;

    public HygieneAlerts(Store store, AuditLog log, SecretHygiene hygiene, AlertSettings settings, Clock clock,
                         MeterRegistry metrics) {
        this(store, log, hygiene, settings, clock, new AlertCounter(metrics));
    }

    HygieneAlerts(Store store, AuditLog log, SecretHygiene hygiene, AlertSettings settings, Clock clock, AlertCounter counter) {
        this.store = store;
        this.log = log;
        this.hygiene = hygiene;
        this.settings = settings;
        this.clock = clock;
        this.counter = counter;
    }

    /** Runs the report and raises what it has not raised before; returns how many alerts it raised. */
    public int run() {
        List<Integer> thresholds = settings.expiryReminderDays();
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<SecretHygiene.Finding> findings = hygiene.findings(thresholds.getLast());
        if (findings.isEmpty()) return 0;
        List<Alert> raised = store.write(tx -> {
            log.holdChain(tx);
            List<Alert> alerts = new ArrayList<>();
            for (SecretHygiene.Finding f : findings) {
                Alert a = alert(f, today, now, thresholds);
                if (a != null && tx.alerts().markRaised(a.rule().id, f.secretArn(), window(f, today, thresholds), now.toEpochMilli())) {
                    alerts.add(a);
                }
            }
            List<CloudTrailEvent> events = new ArrayList<>(alerts.size());
            for (Alert a : alerts) events.add(a.toEvent());
            log.recordIn(tx, events);
            return alerts;
        });
        counter.committed(raised);
        return raised.size();
    }

    /** The smallest threshold the days left fall within: a secret 5 days from expiry is within the 7-day reminder. */
    private static int threshold(long daysLeft, List<Integer> thresholds) {
        for (int t : thresholds) if (daysLeft <= t) return t;
        return -1;
    }

    private static String window(SecretHygiene.Finding f, LocalDate today, List<Integer> thresholds) {
        return switch (f.kind()) {
            case EXPIRING -> "expires " + f.expires() + " within " + threshold(ChronoUnit.DAYS.between(today, f.expires()), thresholds) + " days";
            case EXPIRED -> "expired " + f.expires();
            case ROTATION_OVERDUE -> "value of " + (f.lastRotated() == null ? "creation" : f.lastRotated().toString());
        };
    }

    private static Alert alert(SecretHygiene.Finding f, LocalDate today, Instant now, List<Integer> thresholds) {
        ObjectNode observed = JsonNodeFactory.instance.objectNode();
        ObjectNode baseline = JsonNodeFactory.instance.objectNode();
        AlertRule rule;
        switch (f.kind()) {
            case EXPIRING -> {
                long left = ChronoUnit.DAYS.between(today, f.expires());
                int threshold = threshold(left, thresholds);
                if (threshold < 0) return null;
                rule = AlertRule.SECRET_EXPIRING;
                observed.put("expires", f.expires().toString()).put("daysLeft", left);
                baseline.put("reminderDays", threshold);
            }
            case EXPIRED -> {
                rule = AlertRule.SECRET_EXPIRED;
                observed.put("expires", f.expires().toString());
            }
            case ROTATION_OVERDUE -> {
                rule = AlertRule.ROTATION_OVERDUE;
                if (f.lastRotated() != null) observed.put("lastRotated", f.lastRotated().toString());
            }
            default -> throw new IllegalStateException("unknown finding " + f.kind());
        }
        return new Alert(rule, now, f.accountId(), f.region(), null, f.secretArn(), f.secretName(), f.secretArn(),
                baseline.isEmpty() ? null : baseline, observed, null, f.message());
    }
}
