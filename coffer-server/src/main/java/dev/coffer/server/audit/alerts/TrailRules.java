package dev.coffer.server.audit.alerts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.server.store.AlertRepository.Denials;
import dev.coffer.server.store.AlertRepository.PrincipalProfile;
import dev.coffer.server.store.AlertRepository.Rate;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The rules that watch the audit trail, one call at a time, in the trail's order: each call teaches the baselines and
 * may raise alerts. Baseline rules (spikes, new networks, unusual hours, first reads) stay quiet until both the
 * deployment and the subject have been watched for the learning period. Each condition is raised once per window: a
 * spike once per hour in which the count crosses the threshold, a network or hour or first read once (it is learned
 * as it is seen), probing once per window of denials.
 */
final class TrailRules {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final AlertSettings settings;
    private final HourlyRate rates;
    private final long learning;

    TrailRules(AlertSettings settings) {
        this.settings = settings;
        this.rates = new HourlyRate(settings.rateHalfLife());
        this.learning = settings.learningPeriod().toMillis();
    }

    /** @param startedAt when the engine first ran: the deployment's learning period starts then */
    void observe(ObservedCall c, long startedAt, Baselines b, List<Alert> alerts) throws SQLException {
        boolean deploymentLearned = c.time() >= startedAt + learning;
        String p = c.principal();
        if (c.identified()) {
            PrincipalProfile profile = b.principal(p);
            if (profile == null) profile = new PrincipalProfile(p, c.time(), 0);
            boolean learned = deploymentLearned && c.time() >= profile.firstSeen() + learning;
            int hour = Instant.ofEpochMilli(c.time()).atZone(ZoneOffset.UTC).getHour();
            if ((profile.activeHours() & (1 << hour)) == 0) {
                if (learned) alerts.add(unusualHour(c, profile.activeHours()));
                profile = new PrincipalProfile(p, profile.firstSeen(), profile.activeHours() | (1 << hour));
            }
            b.put(profile);
            String network = SourceNetworks.of(c.sourceIp());
            if (network != null && !b.learnNetwork(p, network, c.time()) && learned) alerts.add(newNetwork(c, network));
            if (c.read()) {
                if (!b.learnRead(p, c.secretArn(), c.time()) && learned) alerts.add(firstRead(c));
                countRead(c, 'P', p, deploymentLearned, b, alerts);
            }
        }
        if (c.read()) countRead(c, 'S', c.secretArn(), deploymentLearned, b, alerts);
        if (c.refused()) {
            if (p != null) countDenial(c, 'P', p, b, alerts);
            if (c.sourceIp() != null) countDenial(c, 'I', c.sourceIp(), b, alerts);
        }
    }

    private void countRead(ObservedCall c, char kind, String subject, boolean deploymentLearned, Baselines b,
                           List<Alert> alerts) throws SQLException {
        Rate r = b.rate(kind, subject);
        r = r == null ? HourlyRate.start(kind, subject, c.time()) : rates.at(r, c.time());
        Rate before = r;
        r = HourlyRate.counted(r);
        b.put(r);
        if (!deploymentLearned || c.time() < r.firstSeen() + learning || r.hours() == 0) return;
        double threshold = HourlyRate.threshold(before, settings.spikeSigma(), settings.spikeMinReads());
        // Raised as the count crosses the threshold: once in the hour, however far above it the hour goes.
        if (before.bucketCount() < threshold && r.bucketCount() >= threshold) alerts.add(spike(c, r, threshold));
    }

    private void countDenial(ObservedCall c, char kind, String key, Baselines b, List<Alert> alerts) throws SQLException {
        Denials d = b.denials(kind, key);
        if (d == null || c.time() - d.windowStart() > settings.probingWindow().toMillis()) {
            d = new Denials(kind, key, c.time(), 0);
        }
        d = new Denials(kind, key, d.windowStart(), d.denials() + 1);
        b.put(d);
        if (d.denials() == settings.probingDenials()) alerts.add(probing(c, d));
    }

    private Alert spike(ObservedCall c, Rate r, double threshold) {
        ObjectNode baseline = JSON.objectNode().put("hourlyMean", round(r.mean())).put("hourlyDeviation", round(Math.sqrt(r.variance())))
                .put("hoursObserved", r.hours()).put("threshold", round(threshold));
        long hourStart = r.bucketHour() * HourlyRate.HOUR_MILLIS;
        ObjectNode observed = JSON.objectNode().put("reads", r.bucketCount()).put("since", Instant.ofEpochMilli(hourStart).toString())
                .put("until", Instant.ofEpochMilli(c.time()).toString());
        String usual = "its usual hourly rate is " + Sentences.number(r.mean()) + " ± " + Sentences.number(Math.sqrt(r.variance())) + ".";
        if (r.kind() == 'P') {
            return new Alert(AlertRule.PRINCIPAL_READ_SPIKE, Instant.ofEpochMilli(c.time()), c.accountId(), c.region(),
                    c.principal(), null, null, c.principal(), baseline, observed, c.eventId(),
                    c.principal() + " read secret values " + Sentences.times(r.bucketCount()) + " in the hour from "
                            + Sentences.hour(hourStart) + " (the last read: " + c.secretName() + "); " + usual);
        }
        return new Alert(AlertRule.SECRET_READ_SPIKE, Instant.ofEpochMilli(c.time()), c.accountId(), c.region(),
                c.principal(), c.secretArn(), c.secretName(), c.secretArn(), baseline, observed, c.eventId(),
                "The secret " + c.secretName() + " was read " + Sentences.times(r.bucketCount()) + " in the hour from "
                        + Sentences.hour(hourStart) + " (the last read by " + who(c) + "); " + usual);
    }

    private Alert newNetwork(ObservedCall c, String network) {
        ObjectNode observed = JSON.objectNode().put("sourceIPAddress", c.sourceIp()).put("network", network)
                .put("eventName", c.eventName());
        return new Alert(AlertRule.NEW_SOURCE_NETWORK, Instant.ofEpochMilli(c.time()), c.accountId(), c.region(),
                c.principal(), c.secretArn(), c.secretName(), c.principal(), null, observed, c.eventId(),
                c.principal() + " called " + c.eventName() + " from " + c.sourceIp() + ", in the network " + network
                        + " it had never used before.");
    }

    private Alert unusualHour(ObservedCall c, int usualHours) {
        ObjectNode baseline = JSON.objectNode().put("activeHoursUtc", Sentences.hours(usualHours));
        ObjectNode observed = JSON.objectNode().put("eventTime", Instant.ofEpochMilli(c.time()).toString())
                .put("eventName", c.eventName());
        return new Alert(AlertRule.UNUSUAL_HOUR, Instant.ofEpochMilli(c.time()), c.accountId(), c.region(), c.principal(),
                c.secretArn(), c.secretName(), c.principal(), baseline, observed, c.eventId(),
                c.principal() + " called " + c.eventName() + " at " + Sentences.clock(c.time())
                        + ", an hour it had never been active in; its active hours so far were " + Sentences.hours(usualHours)
                        + " UTC.");
    }

    private Alert firstRead(ObservedCall c) {
        ObjectNode observed = JSON.objectNode().put("eventTime", Instant.ofEpochMilli(c.time()).toString())
                .put("sourceIPAddress", c.sourceIp());
        return new Alert(AlertRule.FIRST_SECRET_READ, Instant.ofEpochMilli(c.time()), c.accountId(), c.region(),
                c.principal(), c.secretArn(), c.secretName(), c.principal(), null, observed, c.eventId(),
                c.principal() + " read the secret " + c.secretName() + " for the first time.");
    }

    private Alert probing(ObservedCall c, Denials d) {
        ObjectNode baseline = JSON.objectNode().put("maxDenials", settings.probingDenials() - 1)
                .put("windowSeconds", settings.probingWindow().toSeconds());
        ObjectNode observed = JSON.objectNode().put("denials", d.denials())
                .put("since", Instant.ofEpochMilli(d.windowStart()).toString())
                .put("until", Instant.ofEpochMilli(c.time()).toString()).put("lastEventName", c.eventName())
                .put("lastErrorCode", c.errorCode());
        String who = d.kind() == 'P' ? d.key() : "Calls from " + d.key();
        String tail = d.kind() == 'P' ? " (the last " + c.eventName() + " from " + c.sourceIp() + ", " + c.errorCode() + ")"
                : " (the last " + c.eventName() + " by " + who(c) + ", " + c.errorCode() + ")";
        return new Alert(AlertRule.REPEATED_ACCESS_DENIED, Instant.ofEpochMilli(c.time()), c.accountId(), c.region(),
                c.principal(), c.secretArn(), c.secretName(), d.key(), baseline, observed, c.eventId(),
                who + (d.kind() == 'P' ? " was" : " were") + " refused " + Sentences.times(d.denials()) + " between "
                        + Sentences.clock(d.windowStart()) + " and " + Sentences.clock(c.time()) + tail + "; the probing threshold is " + settings.probingDenials() + " refusals within "
                        + Sentences.duration(settings.probingWindow()) + ".");
    }

    private static String who(ObservedCall c) {
        return c.principal() != null ? c.principal() : "an unidentified caller";
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
