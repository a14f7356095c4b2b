package dev.coffer.server.secrets;

import dev.coffer.server.api.CallContext;
import dev.coffer.server.store.SecretRow;
import dev.coffer.server.store.Transaction;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Resolves a SecretId — name, full ARN or partial ARN — in the caller's region. A name is
 * looked up in the caller's account; an ARN names its own account, which may be another
 * one: the pipeline has already required both that account's resource policy and the
 * caller's identity policy to allow the call (cross-account access, as in AWS).
 */
final class SecretLookup {
    private SecretLookup() {}

    static SecretRow resolve(Transaction tx, CallContext ctx, String secretId) throws SQLException {
        return find(tx, ctx, secretId).orElseThrow(SecretErrors::secretNotFound);
    }

    static Optional<SecretRow> find(Transaction tx, CallContext ctx, String secretId) throws SQLException {
        SecretNames.requireValidSecretId(secretId);
        if (!SecretNames.isArn(secretId)) {
            return tx.secrets().findByName(ctx.accountId(), ctx.region(), secretId);
        }
        Optional<SecretRow> exact = tx.secrets().findByArn(secretId).filter(s -> s.region().equals(ctx.region()));
        if (exact.isPresent()) return exact;
        String[] parts = secretId.split(":", 7);
        if (parts.length != 7 || !"secretsmanager".equals(parts[2]) || !ctx.region().equals(parts[3])
                || !"secret".equals(parts[5])) {
            return Optional.empty();
        }
        String name = parts[6];
        if (!SecretNames.partialArnResolvable(name)) return Optional.empty();
        return tx.secrets().findByName(parts[4], ctx.region(), name);
    }
}
