package dev.coffer.server.secrets;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.audit.ServiceEvents;
import dev.coffer.server.store.SecretRow;
import dev.coffer.server.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes secrets whose recovery window has ended, for good. Runs periodically as the
 * service principal; each batch is one transaction, re-checking the date inside it so a
 * secret restored meanwhile is never purged, and recording each deletion in the audit trail
 * ({@code EndSecretDeletion}, as the service) in that same transaction.
 */
public final class SecretPurger {
    private static final Logger log = LoggerFactory.getLogger(SecretPurger.class);
    private static final int BATCH = 100;

    private final Store store;
    private final Clock clock;
    private final AuditLog audit;

    public SecretPurger(Store store, Clock clock) {
        this(store, clock, null);
    }

    /** @param audit where each deletion is recorded, in the transaction that deletes (null: not recorded) */
    public SecretPurger(Store store, Clock clock, AuditLog audit) {
        this.store = store;
        this.clock = clock;
        this.audit = audit;
    }

    /** Purges every secret due now; returns how many were removed. */
    public int purgeDue() {
        int total = 0;
        while (true) {
            List<String> purged = store.write(tx -> {
                long now = clock.millis();
                List<SecretRow> due = tx.secrets().dueForPurge(now, BATCH);
                for (SecretRow s : due) tx.secrets().delete(s.secretId());
                if (audit != null) {
                    audit.recordIn(tx, due.stream().map(s -> ServiceEvents.endSecretDeletion(s.accountId(), s.region(),
                            s.arn(), s.name(), Instant.ofEpochMilli(now))).toList());
                }
                return due.stream().map(SecretRow::arn).toList();
            });
            purged.forEach(arn -> log.info("purged secret {} at the end of its recovery window", arn));
            total += purged.size();
            if (purged.size() < BATCH) return total;
        }
    }
}
