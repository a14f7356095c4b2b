package dev.coffer.server.audit.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** {@code coffer_alerts_total{rule=…}} on the node that raised them: every rule's series exists from the start, at 0. */
final class AlertCounter {
    private final Map<AlertRule, Counter> counters = new EnumMap<>(AlertRule.class);

    AlertCounter(MeterRegistry registry) {
        for (AlertRule rule : AlertRule.values()) {
            counters.put(rule, Counter.builder("coffer.alerts").description("Alerts raised on the audit trail, by rule")
                    .tag("rule", rule.id).register(registry));
        }
    }

    /** Counts alerts once they are committed to the trail. */
    void committed(List<Alert> alerts) {
        for (Alert a : alerts) counters.get(a.rule()).increment();
    }
}
