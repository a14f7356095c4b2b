package dev.coffer.server.secrets;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.secrets.SecretsManagerMessages.RemoveRegionsFromReplicationRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.ReplicaRegion;
import dev.coffer.server.secrets.SecretsManagerMessages.ReplicateSecretToRegionsRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.ReplicationResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.ReplicationStatus;
import dev.coffer.server.secrets.SecretsManagerMessages.SecretIdRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.StopReplicationToReplicaResponse;
import dev.coffer.server.store.ReplicaRow;
import dev.coffer.server.store.SecretRow;
import dev.coffer.server.store.Store;
import dev.coffer.server.store.Transaction;
import dev.coffer.server.store.VersionRow;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Replicas within one deployment. A replica is a read-only secret of the same name (and
 * ARN suffix) in another region that serves its primary's versions, so it is always in
 * step: there is nothing to copy until StopReplicationToReplica promotes it, when its
 * versions are re-sealed under its own ARN.
 */
final class Replication {
    static final String IN_SYNC = "InSync";
    static final String FAILED = "Failed";

    private final Store store;
    private final Clock clock;
    private final SecretValues values;
    private final Predicate<String> acceptedRegion;

    Replication(Store store, Clock clock, SecretValues values, Predicate<String> acceptedRegion) {
        this.store = store;
        this.clock = clock;
        this.values = values;
        this.acceptedRegion = acceptedRegion;
    }

    ReplicationResponse replicate(CallContext ctx, ReplicateSecretToRegionsRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        return store.write(tx -> {
            SecretRow primary = primaryForChange(tx, ctx, req.SecretId());
            List<ReplicationStatus> statuses = addReplicas(tx, primary, req.AddReplicaRegions(),
                    Boolean.TRUE.equals(req.ForceOverwriteReplicaSecret()), clock.millis());
            return new ReplicationResponse(primary.arn(), statuses);
        });
    }

    ReplicationResponse remove(CallContext ctx, RemoveRegionsFromReplicationRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        return store.write(tx -> {
            SecretRow primary = primaryForChange(tx, ctx, req.SecretId());
            for (String region : req.RemoveReplicaRegions()) {
                Optional<SecretRow> replica = replicaIn(tx, primary, region);
                if (replica.isEmpty() && tx.secrets().replicaRegions(primary.secretId()).stream()
                        .noneMatch(r -> r.region().equals(region))) {
                    throw SecretErrors.invalidParameter("Region " + region + " is not a replica region of this secret.");
                }
                if (replica.isPresent()) tx.secrets().delete(replica.get().secretId());
                tx.secrets().removeReplicaRegion(primary.secretId(), region);
            }
            return new ReplicationResponse(primary.arn(), statuses(tx, primary));
        });
    }

    StopReplicationToReplicaResponse stop(CallContext ctx, SecretIdRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        return store.write(tx -> {
            long now = clock.millis();
            SecretRow replica = SecretLookup.resolve(tx, ctx, req.SecretId());
            if (!replica.isReplica()) {
                throw SecretErrors.invalidRequest("StopReplicationToReplica can only be called on a replica secret.");
            }
            SecretRow primary = tx.secrets().findById(replica.primarySecretId()).orElseThrow(SecretErrors::secretNotFound);
            SecretRow standalone = replica.asStandalone(now);
            tx.secrets().update(standalone);
            copyVersions(tx, primary, standalone);
            tx.secrets().replaceTags(standalone.secretId(), tx.secrets().tags(primary.secretId()));
            tx.secrets().removeReplicaRegion(primary.secretId(), replica.region());
            return new StopReplicationToReplicaResponse(standalone.arn());
        });
    }

    /** Creates replicas of {@code primary} in each region; a name clash fails that region unless forced. */
    List<ReplicationStatus> addReplicas(Transaction tx, SecretRow primary, List<ReplicaRegion> regions, boolean force,
                                        long now) throws SQLException {
        for (ReplicaRegion r : regions) {
            String region = r.Region();
            if (region == null || region.equals(primary.region()) || !acceptedRegion.test(region)) {
                throw SecretErrors.invalidParameter("Invalid replica region: " + region + ".");
            }
            if (replicaIn(tx, primary, region).isPresent()) continue;
            Optional<SecretRow> clash = tx.secrets().findByName(primary.accountId(), region, primary.name());
            if (clash.isPresent() && !force) {
                tx.secrets().putReplicaRegion(new ReplicaRow(primary.secretId(), region, r.KmsKeyId(), FAILED,
                        "Replication failed: Secret name " + primary.name() + " already exists in region " + region + "."));
                continue;
            }
            if (clash.isPresent()) tx.secrets().delete(clash.get().secretId());
            tx.secrets().insert(new SecretRow(UUID.randomUUID().toString(), primary.accountId(), region, primary.name(),
                    SecretNames.arnInRegion(primary.arn(), region), primary.description(), r.KmsKeyId(), now, now, null,
                    null, null, false, null, null, null, null, false, null, primary.secretId(), primary.region()));
            tx.secrets().putReplicaRegion(new ReplicaRow(primary.secretId(), region, r.KmsKeyId(), IN_SYNC,
                    "Replication succeeded"));
        }
        return statuses(tx, primary);
    }

    /** The ReplicationStatus list of a primary, with each replica's last access. */
    static List<ReplicationStatus> statuses(Transaction tx, SecretRow primary) throws SQLException {
        List<ReplicationStatus> out = new ArrayList<>();
        Map<String, SecretRow> replicas = new java.util.HashMap<>();
        for (SecretRow r : tx.secrets().replicasOf(primary.secretId())) replicas.put(r.region(), r);
        for (ReplicaRow row : tx.secrets().replicaRegions(primary.secretId())) {
            SecretRow replica = replicas.get(row.region());
            Instant accessed = replica == null || replica.lastAccessedAt() == null ? null
                    : Instant.ofEpochMilli(replica.lastAccessedAt());
            out.add(new ReplicationStatus(row.region(), row.kmsKeyId() != null ? row.kmsKeyId() : "alias/aws/secretsmanager",
                    row.status(), row.statusMessage(), accessed));
        }
        return out;
    }

    private static Optional<SecretRow> replicaIn(Transaction tx, SecretRow primary, String region) throws SQLException {
        return tx.secrets().replicasOf(primary.secretId()).stream().filter(r -> r.region().equals(region)).findFirst();
    }

    private static SecretRow primaryForChange(Transaction tx, CallContext ctx, String secretId) throws SQLException {
        SecretRow s = SecretLookup.resolve(tx, ctx, secretId);
        if (s.isReplica()) throw SecretErrors.replicaIsReadOnly();
        if (s.isScheduledForDeletion()) throw SecretErrors.markedForDeletion();
        return s;
    }

    /** Re-seals every version of {@code from} under {@code to}'s own ARN, labels included. */
    private void copyVersions(Transaction tx, SecretRow from, SecretRow to) throws SQLException {
        Map<String, List<String>> stages = tx.secrets().stages(from.secretId());
        for (VersionRow meta : tx.secrets().versions(from.secretId())) {
            VersionRow v = tx.secrets().findVersion(from.secretId(), meta.versionId()).orElseThrow();
            try (SecretBytes plain = values.open(from, v)) {
                var sealed = values.seal(to, v.versionId(), new SecretValues.NewValue(v.valueType(), plain.bytes()));
                tx.secrets().insertVersion(new VersionRow(to.secretId(), v.versionId(), v.createdAt(), v.lastAccessedAt(),
                        v.valueType(), sealed.envelope(), sealed.keyId()));
            }
            for (String label : stages.getOrDefault(v.versionId(), List.of())) {
                tx.secrets().setStage(to.secretId(), label, v.versionId());
            }
        }
    }
}
