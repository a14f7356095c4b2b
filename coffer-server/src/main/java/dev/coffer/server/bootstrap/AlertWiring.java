package dev.coffer.server.bootstrap;

import dev.coffer.server.access.HygieneReport;
import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.audit.alerts.AlertEngine;
import dev.coffer.server.audit.alerts.AlertSettings;
import dev.coffer.server.audit.alerts.HygieneAlerts;
import dev.coffer.server.cluster.SingletonJobs;
import dev.coffer.server.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit alerts' part of the object graph: the settings from {@code alerts.properties} in the data directory (the
 * defaults without it), the engine that follows the trail, and the job that raises the hygiene report's expiry and
 * rotation findings; both run as singleton jobs. Without the durable trail there is nothing to follow, and no alerts.
 */
final class AlertWiring {
    private static final Logger log = LoggerFactory.getLogger(AlertWiring.class);

    private final AlertEngine engine;
    private final HygieneAlerts hygiene;
    private final AlertSettings settings;

    private AlertWiring(AlertEngine engine, HygieneAlerts hygiene, AlertSettings settings) {
        this.engine = engine;
        this.hygiene = hygiene;
        this.settings = settings;
    }

    /** The settings in the data directory's {@code alerts.properties}; read before anything opens, so a bad one stops the start. */
    static AlertSettings settings(Path dataDir) {
        return AlertSettings.load(dataDir.resolve(AlertSettings.FILE));
    }

    static AlertWiring open(AlertSettings settings, Store store, AuditLog auditLog, HygieneReport report, Clock clock,
                            MeterRegistry metrics) {
        if (auditLog == null || !settings.enabled()) {
            log.info("audit alerts are off ({})", auditLog == null ? "no durable audit trail" : "enabled=false in "
                    + AlertSettings.FILE);
            return new AlertWiring(null, null, settings);
        }
        return new AlertWiring(new AlertEngine(store, auditLog, settings, clock, metrics),
                new HygieneAlerts(store, auditLog, new HygieneFindings(store, report), settings, clock, metrics), settings);
    }

    void schedule(SingletonJobs jobs) {
        if (engine == null) return;
        jobs.schedule("alerts", settings.checkEvery(), engine::runPending)
                .schedule("hygiene-alerts", settings.hygieneEvery(), hygiene::run);
    }
}
