package dev.coffer.server.audit.alerts;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The hygiene report's findings the alerts follow, for every account: hand-rotated secrets near or past their expiry,
 * and secrets whose rotation is overdue. The report lives with the services; the server hands it in as this.
 */
@FunctionalInterface
public interface SecretHygiene {
    /** @param reminderDays report secrets that expire within this many days */
    List<Finding> findings(int reminderDays);

    enum Kind { EXPIRING, EXPIRED, ROTATION_OVERDUE }

    /**
     * @param expires     the expiry date (EXPIRING, EXPIRED), else null
     * @param lastRotated when its current value was made (ROTATION_OVERDUE), else null
     * @param message     the report's own sentence about it
     */
    record Finding(Kind kind, String accountId, String region, String secretArn, String secretName, LocalDate expires,
                   Instant lastRotated, String message) {}
}
