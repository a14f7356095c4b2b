package dev.coffer.server.audit;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the audit trail runs.
 *
 * @param durable        false keeps only the access log (no durable trail): for measuring what the trail costs, never
 *                       for production
 * @param digestInterval how often the chain's digest is signed
 * @param signingKeyFile the Ed25519 key that signs digests; null for {@code audit-signing.key} in the data directory.
 *                       On PostgreSQL give every node the same file, so one public key verifies every digest
 */
public record AuditSettings(boolean durable, Duration digestInterval, Path signingKeyFile) {
    public static final Duration DEFAULT_DIGEST_INTERVAL = Duration.ofMinutes(15);

    public AuditSettings {
        if (digestInterval == null) digestInterval = DEFAULT_DIGEST_INTERVAL;
        if (digestInterval.isNegative() || digestInterval.isZero()) {
            throw new IllegalArgumentException("the audit digest interval must be positive");
        }
    }

    public static AuditSettings defaults() {
        return new AuditSettings(true, DEFAULT_DIGEST_INTERVAL, null);
    }
}
