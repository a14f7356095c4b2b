package dev.coffer.server.secrets;

import dev.coffer.server.api.CallContext;
import dev.coffer.server.audit.AuditContext;
import dev.coffer.server.secrets.SecretsManagerMessages.ArnAndName;
import dev.coffer.server.secrets.SecretsManagerMessages.CreateSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.CreateSecretResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.DeleteSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.DeleteSecretResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.Empty;
import dev.coffer.server.secrets.SecretsManagerMessages.PutSecretValueRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.PutSecretValueResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.SecretIdRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.Tag;
import dev.coffer.server.secrets.SecretsManagerMessages.TagResourceRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.UntagResourceRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.UpdateSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.UpdateSecretResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.UpdateSecretVersionStageRequest;
import dev.coffer.server.store.SecretRow;
import dev.coffer.server.store.Store;
import dev.coffer.server.store.TagRow;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** The operations that create and change secrets. Each runs as one store transaction. */
final class SecretWrites {
    private static final long DEFAULT_RECOVERY_DAYS = 30;

    private final Store store;
    private final Clock clock;
    private final SecureRandom random;
    private final SecretVersions versions;
    private final Replication replication;

    SecretWrites(Store store, Clock clock, SecureRandom random, SecretVersions versions, Replication replication) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.versions = versions;
        this.replication = replication;
    }

    CreateSecretResponse create(CallContext ctx, CreateSecretRequest req) {
        SecretNames.requireValidName(req.Name());
        SecretValues.NewValue value = SecretValues.fromRequest(req.SecretString(), req.SecretBinary());
        String token = req.ClientRequestToken();
        if (value != null && token == null) throw SecretErrors.tokenRequired();
        List<TagRow> tags = mergeTags(List.of(), req.Tags());
        String suffix = SecretNames.newSuffix(random);
        return store.write(tx -> {
            long now = clock.millis();
            Optional<SecretRow> existing = tx.secrets().findByName(ctx.accountId(), ctx.region(), req.Name());
            if (existing.isPresent()) {
                SecretRow s = existing.get();
                if (s.isScheduledForDeletion()) throw SecretErrors.nameScheduledForDeletion();
                if (value != null && tx.secrets().findVersion(s.versionOwnerId(), token).isPresent()) {
                    SecretVersions.Added repeat = versions.add(tx, s, token, value, List.of(StagingLabels.CURRENT), now);
                    return new CreateSecretResponse(s.arn(), s.name(), repeat.versionId(), null);
                }
                throw SecretErrors.alreadyExists(req.Name());
            }
            SecretRow secret = new SecretRow(UUID.randomUUID().toString(), ctx.accountId(), ctx.region(), req.Name(),
                    SecretNames.arn(ctx.region(), ctx.accountId(), req.Name(), suffix), req.Description(), req.KmsKeyId(),
                    now, now, null, null, null, false, null, null, null, null, req.Tags() != null, null, null, null);
            tx.secrets().insert(secret);
            AuditContext.actedOnSecret(secret.arn(), secret.name()); // the ARN's suffix exists only now
            if (!tags.isEmpty()) tx.secrets().replaceTags(secret.secretId(), tags);
            String versionId = null;
            if (value != null) {
                versionId = versions.add(tx, secret, token, value, List.of(StagingLabels.CURRENT), now).versionId();
            }
            var statuses = req.AddReplicaRegions() == null ? null
                    : replication.addReplicas(tx, secret, req.AddReplicaRegions(),
                            Boolean.TRUE.equals(req.ForceOverwriteReplicaSecret()), now);
            return new CreateSecretResponse(secret.arn(), secret.name(), versionId, statuses);
        });
    }

    PutSecretValueResponse put(CallContext ctx, PutSecretValueRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        SecretValues.NewValue value = SecretValues.fromRequest(req.SecretString(), req.SecretBinary());
        if (req.ClientRequestToken() == null) throw SecretErrors.tokenRequired();
        if (value == null) throw SecretErrors.invalidRequest("You must provide either SecretString or SecretBinary.");
        List<String> labels = req.VersionStages() != null ? req.VersionStages() : List.of(StagingLabels.CURRENT);
        return store.write(tx -> {
            long now = clock.millis();
            SecretRow s = writable(tx, ctx, req.SecretId());
            SecretVersions.Added added = versions.add(tx, s, req.ClientRequestToken(), value, labels, now);
            if (added.created()) tx.secrets().update(s.withLastChanged(now));
            return new PutSecretValueResponse(s.arn(), s.name(), added.versionId(),
                    tx.secrets().stagesOf(s.secretId(), added.versionId()));
        });
    }

    UpdateSecretResponse update(CallContext ctx, UpdateSecretRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        SecretValues.NewValue value = SecretValues.fromRequest(req.SecretString(), req.SecretBinary());
        if (value != null && req.ClientRequestToken() == null) throw SecretErrors.tokenRequired();
        return store.write(tx -> {
            long now = clock.millis();
            SecretRow s = writable(tx, ctx, req.SecretId());
            String versionId = null;
            if (value != null) {
                versionId = versions.add(tx, s, req.ClientRequestToken(), value, List.of(StagingLabels.CURRENT), now)
                        .versionId();
            }
            tx.secrets().update(s.withDetails(req.Description() != null ? req.Description() : s.description(),
                    req.KmsKeyId() != null ? req.KmsKeyId() : s.kmsKeyId(), now));
            return new UpdateSecretResponse(s.arn(), s.name(), versionId);
        });
    }

    ArnAndName updateVersionStage(CallContext ctx, UpdateSecretVersionStageRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        String label = req.VersionStage();
        String move = req.MoveToVersionId();
        String remove = req.RemoveFromVersionId();
        return store.write(tx -> {
            SecretRow s = writable(tx, ctx, req.SecretId());
            var repo = tx.secrets();
            String holder = StagingLabels.holderOf(repo.stages(s.secretId()), label);
            if (move != null) {
                if (repo.findVersion(s.secretId(), move).isEmpty()) throw SecretErrors.valueNotFoundForVersion(move);
                if (holder != null && !holder.equals(move)) {
                    if (remove == null) {
                        throw SecretErrors.invalidParameter("The parameter RemoveFromVersionId can't be empty. Staging label "
                                + label + " is currently attached to version " + holder
                                + ", so you must explicitly reference that version in RemoveFromVersionId.");
                    }
                    if (!remove.equals(holder)) {
                        throw SecretErrors.invalidParameter("The parameter RemoveFromVersionId is not valid. Staging label "
                                + label + " is currently attached to version " + holder
                                + ", so you must explicitly reference that version in RemoveFromVersionId.");
                    }
                }
                StagingLabels.move(repo, s.secretId(), label, move, holder);
            } else if (remove != null) {
                if (!remove.equals(holder)) {
                    throw SecretErrors.invalidParameter("The staging label " + label + " is not attached to version "
                            + remove + ".");
                }
                if (StagingLabels.CURRENT.equals(label)) {
                    throw SecretErrors.invalidParameter("You can only move staging label AWSCURRENT to a different secret "
                            + "version. It can't be completely removed.");
                }
                repo.removeStage(s.secretId(), label);
            } else {
                throw SecretErrors.invalidParameter("You must specify either MoveToVersionId or RemoveFromVersionId.");
            }
            repo.update(s.withLastChanged(clock.millis()));
            return new ArnAndName(s.arn(), s.name());
        });
    }

    DeleteSecretResponse delete(CallContext ctx, DeleteSecretRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        boolean force = Boolean.TRUE.equals(req.ForceDeleteWithoutRecovery());
        Long window = req.RecoveryWindowInDays();
        if (force && window != null) {
            throw SecretErrors.invalidParameter(
                    "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }
        if (window != null && (window < 7 || window > 30)) {
            throw SecretErrors.invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }
        return store.write(tx -> {
            long now = clock.millis();
            SecretRow s = SecretLookup.resolve(tx, ctx, req.SecretId());
            if (s.isReplica()) throw SecretErrors.replicaIsReadOnly();
            List<SecretRow> replicas = tx.secrets().replicasOf(s.secretId());
            if (!replicas.isEmpty()) {
                throw SecretErrors.invalidRequest("You can't delete secret " + s.name() + " that still has replica regions "
                        + replicas.stream().map(SecretRow::region).sorted().toList() + ".");
            }
            if (force) {
                tx.secrets().delete(s.secretId());
                return new DeleteSecretResponse(s.arn(), s.name(), Instant.ofEpochMilli(now));
            }
            if (s.isScheduledForDeletion()) throw SecretErrors.alreadyMarkedDeleted();
            long deletionDate = now + TimeUnit.DAYS.toMillis(window != null ? window : DEFAULT_RECOVERY_DAYS);
            tx.secrets().update(s.withDeletion(now, deletionDate));
            return new DeleteSecretResponse(s.arn(), s.name(), Instant.ofEpochMilli(deletionDate));
        });
    }

    ArnAndName restore(CallContext ctx, SecretIdRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        return store.write(tx -> {
            SecretRow s = SecretLookup.resolve(tx, ctx, req.SecretId());
            if (s.isReplica()) throw SecretErrors.replicaIsReadOnly();
            if (s.isScheduledForDeletion()) tx.secrets().update(s.withDeletion(null, null));
            return new ArnAndName(s.arn(), s.name());
        });
    }

    Empty tag(CallContext ctx, TagResourceRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        return store.write(tx -> {
            SecretRow s = writable(tx, ctx, req.SecretId());
            tx.secrets().replaceTags(s.secretId(), mergeTags(tx.secrets().tags(s.secretId()), req.Tags()));
            tx.secrets().update(s.withTagged(clock.millis()));
            return new Empty();
        });
    }

    Empty untag(CallContext ctx, UntagResourceRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        return store.write(tx -> {
            SecretRow s = writable(tx, ctx, req.SecretId());
            List<TagRow> kept = new ArrayList<>(tx.secrets().tags(s.secretId()));
            kept.removeIf(t -> req.TagKeys().contains(t.key()));
            tx.secrets().replaceTags(s.secretId(), kept);
            tx.secrets().update(s.withTagged(clock.millis()));
            return new Empty();
        });
    }

    /** A secret that this call may change: it exists, is not scheduled for deletion, and is not a replica. */
    private static SecretRow writable(dev.coffer.server.store.Transaction tx, CallContext ctx, String secretId)
            throws java.sql.SQLException {
        SecretRow s = SecretLookup.resolve(tx, ctx, secretId);
        if (s.isScheduledForDeletion()) throw SecretErrors.markedForDeletion();
        if (s.isReplica()) throw SecretErrors.replicaIsReadOnly();
        return s;
    }

    /** Existing tags with the request's added or overwritten, keeping first-seen order. */
    static List<TagRow> mergeTags(List<TagRow> existing, List<Tag> added) {
        Map<String, String> merged = new LinkedHashMap<>();
        existing.forEach(t -> merged.put(t.key(), t.value()));
        if (added != null) {
            for (Tag t : added) {
                if (t.Key() == null) throw SecretErrors.invalidParameter("You must provide a tag key.");
                merged.put(t.Key(), t.Value() == null ? "" : t.Value());
            }
        }
        List<TagRow> out = new ArrayList<>();
        merged.forEach((k, v) -> out.add(new TagRow(k, v)));
        return out;
    }
}
