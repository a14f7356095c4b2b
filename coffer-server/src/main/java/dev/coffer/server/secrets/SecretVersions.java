package dev.coffer.server.secrets;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.store.SecretRow;
import dev.coffer.server.store.Transaction;
import dev.coffer.server.store.VersionRow;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Adds immutable versions to a secret: ClientRequestToken idempotency, sealing, labels,
 * and cleanup of deprecated versions past AWS's limit.
 */
final class SecretVersions {
    /** AWS keeps at most about 100 versions and never removes one younger than a day. */
    static final int VERSION_LIMIT = 100;
    private static final long MIN_AGE_TO_REMOVE = TimeUnit.DAYS.toMillis(1);

    private final SecretValues values;

    SecretVersions(SecretValues values) {
        this.values = values;
    }

    /** The outcome: the version id, and whether it was new or an idempotent repeat. */
    record Added(String versionId, boolean created) {}

    /**
     * Adds {@code value} as version {@code token} with {@code labels}. A repeat of the same
     * token with the same value is a no-op (AWS idempotency); with another value it fails.
     */
    Added add(Transaction tx, SecretRow secret, String token, SecretValues.NewValue value, List<String> labels, long now)
            throws SQLException {
        Optional<VersionRow> existing = tx.secrets().findVersion(secret.secretId(), token);
        if (existing.isPresent()) {
            try (SecretBytes stored = values.open(secret, existing.get())) {
                if (value.sameAs(existing.get().valueType(), stored.bytes())) return new Added(token, false);
            }
            throw SecretErrors.tokenInUse(token, secret.arn());
        }
        Keyring.Sealed sealed = values.seal(secret, token, value);
        tx.secrets().insertVersion(new VersionRow(secret.secretId(), token, now, null, value.type(), sealed.envelope(),
                sealed.keyId()));
        StagingLabels.labelNewVersion(tx.secrets(), secret.secretId(), token, labels);
        removeDeprecatedPastLimit(tx, secret.secretId(), now);
        return new Added(token, true);
    }

    private static void removeDeprecatedPastLimit(Transaction tx, String secretId, long now) throws SQLException {
        int excess = tx.secrets().countVersions(secretId) - VERSION_LIMIT;
        if (excess <= 0) return;
        for (String versionId : tx.secrets().unlabelledVersionsCreatedBefore(secretId, now - MIN_AGE_TO_REMOVE, excess)) {
            tx.secrets().deleteVersion(secretId, versionId);
        }
    }
}
