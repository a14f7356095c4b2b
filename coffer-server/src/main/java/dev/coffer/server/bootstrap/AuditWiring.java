package dev.coffer.server.bootstrap;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.audit.AuditSettings;
import dev.coffer.server.audit.ChainDigests;
import dev.coffer.server.audit.DigestKeys;
import dev.coffer.server.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    private static final long INDEX_EVERY_MILLIS = 200;

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

    /** Signs a digest of the chain at the configured interval, and keeps the lookup index up with the events. */
    void schedule(ScheduledExecutorService jobs) {
        if (digests == null) return;
        jobs.scheduleWithFixedDelay(() -> {
            try {
                auditLog.indexPending();
            } catch (RuntimeException e) {
                log.warn("indexing the audit trail failed ({}); lookups scan the unindexed events until it succeeds",
                        e.toString());
            }
        }, INDEX_EVERY_MILLIS, INDEX_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        long every = settings.digestInterval().toMillis();
        jobs.scheduleWithFixedDelay(() -> {
            try {
                digests.sign();
            } catch (RuntimeException e) {
                log.error("signing the audit digest failed; it runs again at its next interval", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (auditLog != null) auditLog.close();
    }
}
