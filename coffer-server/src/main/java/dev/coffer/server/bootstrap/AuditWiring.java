package dev.coffer.server.bootstrap;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.audit.AuditSettings;
import dev.coffer.server.audit.ChainDigests;
import dev.coffer.server.audit.DigestKeys;
import dev.coffer.server.cluster.SingletonJobs;
import dev.coffer.server.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail's part of the object graph: the durable log on the store, the store services are given
 * (whose writes carry their call's event), and the digest job with its signing key. With the durable
 * trail switched off (measurements only) the log is null and services get the plain store.
 */
final class AuditWiring implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditWiring.class);
    static final String SIGNING_KEY_FILE = "audit-signing.key";
    /**
     * How often the lookup index takes in new events. Lookups scan the events it has not reached, so this trades a
     * second of tail scan per lookup for fewer, fuller index batches (each touches one index page per value).
     */
    private static final long INDEX_EVERY_MILLIS = 1_000;

    private final AuditLog auditLog;
    private final Store servicesStore;
    private final ChainDigests digests;
    private final AuditSettings settings;

    private AuditWiring(AuditLog auditLog, Store servicesStore, ChainDigests digests, AuditSettings settings) {
        this.auditLog = auditLog;
        this.servicesStore = servicesStore;
        this.digests = digests;
        this.settings = settings;
    }

    static AuditWiring open(Store store, CofferConfig config, Path dataDir, Clock clock) {
        AuditSettings settings = config.audit();
        if (!settings.durable()) {
            log.warn("the durable audit trail is OFF: calls are only written to the access log (for measurements only)");
            return new AuditWiring(null, store, null, settings);
        }
        Path keyFile = settings.signingKeyFile() != null ? settings.signingKeyFile() : dataDir.resolve(SIGNING_KEY_FILE);
        AuditLog auditLog = new AuditLog(store);
        return new AuditWiring(auditLog, auditLog.auditedStore(), new ChainDigests(store, DigestKeys.loadOrCreate(keyFile), clock),
                settings);
    }

    /** The durable trail, or null when it is off. */
    AuditLog log() {
        return auditLog;
    }

    /** The store to give services. */
    Store servicesStore() {
        return servicesStore;
    }

    /**
     * Keeps the lookup index up with the events and signs a digest of the chain at the configured interval, on the
     * node that runs the cluster's singleton work (each job logs its own failures and runs again at its interval;
     * until the index catches up, lookups scan the unindexed events).
     */
    void schedule(SingletonJobs jobs) {
        if (digests == null) return;
        jobs.schedule("audit-index", Duration.ofMillis(INDEX_EVERY_MILLIS), auditLog::indexPending)
                .schedule("audit-digest", settings.digestInterval(), digests::sign);
    }

    @Override
    public void close() {
        if (auditLog != null) auditLog.close();
    }
}
