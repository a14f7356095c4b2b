package dev.coffer.server.secrets;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.secrets.SecretsManagerMessages.BatchGetSecretValueRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.CreateSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.DeleteSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.GetRandomPasswordRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.GetRandomPasswordResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.GetSecretValueRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.ListSecretVersionIdsRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.ListSecretsRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.PutResourcePolicyRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.PutSecretValueRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.RemoveRegionsFromReplicationRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.ReplicateSecretToRegionsRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.RotateSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.SecretIdRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.TagResourceRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.UntagResourceRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.UpdateSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.UpdateSecretVersionStageRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.ValidateResourcePolicyRequest;
import dev.coffer.server.store.SecretRow;
import dev.coffer.server.store.Store;
import dev.coffer.server.store.TagRow;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The Secrets Manager API: wires the domain parts together and lists the operations
 * the pipeline dispatches to, one per AWS operation.
 */
public final class SecretsManagerService {
    public static final String SIGNING_NAME = "secretsmanager";

    private final List<Operation<?, ?>> operations;
    private final Store store;
    private final SecretAccessTargets targets;

    /** A secret as the access analyses see it: where it lives, what it is called, its tags; never a value. */
    public record SecretEntry(String accountId, String region, String arn, String name, Map<String, String> tags) {
        public SecretEntry {
            tags = Map.copyOf(tags);
        }
    }

    public SecretsManagerService(Store store, Keyring keyring, Clock clock, SecureRandom random,
                                 Predicate<String> acceptedRegion) {
        SecretValues values = new SecretValues(keyring);
        Replication replication = new Replication(store, clock, values, acceptedRegion);
        SecretWrites writes = new SecretWrites(store, clock, random, new SecretVersions(values), replication);
        ResourcePolicies policies = new ResourcePolicies(store, keyring, clock);
        RotationSettings rotation = new RotationSettings(store, clock);
        RandomPasswordGenerator passwords = new RandomPasswordGenerator(random);
        SecretAccessTargets targets = new SecretAccessTargets(store, keyring);
        SecretReads reads = new SecretReads(store, clock, values, targets);
        this.store = store;
        this.targets = targets;

        operations = List.of(
                write("CreateSecret", CreateSecretRequest.class, writes::create).withTarget(targets::create),
                read("GetSecretValue", GetSecretValueRequest.class, reads::get).withTarget((ctx, req) ->
                        targets.secret(ctx, req.SecretId(), keys("secretsmanager:VersionId", req.VersionId(),
                                "secretsmanager:VersionStage", req.VersionStage()))),
                read("BatchGetSecretValue", BatchGetSecretValueRequest.class, reads::batchGet),
                write("PutSecretValue", PutSecretValueRequest.class, writes::put).withTarget(bySecretId(targets, PutSecretValueRequest::SecretId)),
                write("UpdateSecret", UpdateSecretRequest.class, writes::update).withTarget((ctx, req) ->
                        targets.secret(ctx, req.SecretId(), keys("secretsmanager:Description", req.Description(),
                                "secretsmanager:KmsKeyId", req.KmsKeyId()))),
                read("DescribeSecret", SecretIdRequest.class, reads::describe).withTarget(bySecretId(targets, SecretIdRequest::SecretId)),
                read("ListSecrets", ListSecretsRequest.class, reads::list),
                read("ListSecretVersionIds", ListSecretVersionIdsRequest.class, reads::listVersionIds)
                        .withTarget(bySecretId(targets, ListSecretVersionIdsRequest::SecretId)),
                write("UpdateSecretVersionStage", UpdateSecretVersionStageRequest.class, writes::updateVersionStage)
                        .withTarget((ctx, req) -> targets.secret(ctx, req.SecretId(),
                                keys("secretsmanager:VersionStage", req.VersionStage()))),
                write("DeleteSecret", DeleteSecretRequest.class, writes::delete).withTarget((ctx, req) ->
                        targets.secret(ctx, req.SecretId(), keys(
                                "secretsmanager:RecoveryWindowInDays", str(req.RecoveryWindowInDays()),
                                "secretsmanager:ForceDeleteWithoutRecovery", str(req.ForceDeleteWithoutRecovery())))),
                write("RestoreSecret", SecretIdRequest.class, writes::restore).withTarget(bySecretId(targets, SecretIdRequest::SecretId)),
                write("TagResource", TagResourceRequest.class, writes::tag).withTarget((ctx, req) -> {
                    Map<String, List<String>> keys = new LinkedHashMap<>();
                    SecretAccessTargets.requestTags(keys, req.Tags());
                    return targets.secret(ctx, req.SecretId(), keys);
                }),
                write("UntagResource", UntagResourceRequest.class, writes::untag).withTarget((ctx, req) ->
                        targets.secret(ctx, req.SecretId(), req.TagKeys() == null ? Map.of()
                                : Map.of("aws:TagKeys", req.TagKeys().stream().filter(java.util.Objects::nonNull).toList()))),
                read("GetRandomPassword", GetRandomPasswordRequest.class, (ctx, req) -> new GetRandomPasswordResponse(
                        passwords.generate(new PasswordOptions(req.PasswordLength(), req.ExcludeCharacters(),
                                req.ExcludeNumbers(), req.ExcludePunctuation(), req.ExcludeUppercase(),
                                req.ExcludeLowercase(), req.IncludeSpace(), req.RequireEachIncludedType())))),
                write("PutResourcePolicy", PutResourcePolicyRequest.class, policies::put).withTarget((ctx, req) ->
                        targets.secret(ctx, req.SecretId(), keys("secretsmanager:BlockPublicPolicy",
                                str(req.BlockPublicPolicy())))),
                read("GetResourcePolicy", SecretIdRequest.class, policies::get).withTarget(bySecretId(targets, SecretIdRequest::SecretId)),
                write("DeleteResourcePolicy", SecretIdRequest.class, policies::delete).withTarget(bySecretId(targets, SecretIdRequest::SecretId)),
                read("ValidateResourcePolicy", ValidateResourcePolicyRequest.class, policies::validate).withTarget((ctx, req) ->
                        req.SecretId() == null ? AccessTarget.anyResource(ctx.accountId()) : targets.secret(ctx, req.SecretId(), Map.of())),
                write("RotateSecret", RotateSecretRequest.class, rotation::rotate).withTarget((ctx, req) ->
                        targets.secret(ctx, req.SecretId(), keys("secretsmanager:RotationLambdaARN", req.RotationLambdaARN(),
                                "secretsmanager:ModifyRotationRules", req.RotationRules() == null ? null : "true",
                                "secretsmanager:RotateImmediately", str(req.RotateImmediately())))),
                write("CancelRotateSecret", SecretIdRequest.class, rotation::cancel).withTarget(bySecretId(targets, SecretIdRequest::SecretId)),
                write("ReplicateSecretToRegions", ReplicateSecretToRegionsRequest.class, replication::replicate)
                        .withTarget((ctx, req) -> targets.secret(ctx, req.SecretId(), req.AddReplicaRegions() == null ? Map.of()
                                : Map.of("secretsmanager:AddReplicaRegions", req.AddReplicaRegions().stream()
                                        .map(SecretsManagerMessages.ReplicaRegion::Region).filter(java.util.Objects::nonNull).toList()))),
                write("RemoveRegionsFromReplication", RemoveRegionsFromReplicationRequest.class, replication::remove)
                        .withTarget(bySecretId(targets, RemoveRegionsFromReplicationRequest::SecretId)),
                write("StopReplicationToReplica", SecretIdRequest.class, replication::stop)
                        .withTarget(bySecretId(targets, SecretIdRequest::SecretId)));;
    }

    /** A target found by the request's SecretId alone, with no action-specific condition keys. */
    private static <Q> AccessTarget.Resolver<Q> bySecretId(SecretAccessTargets targets, java.util.function.Function<Q, String> secretId) {
        return (ctx, req) -> targets.secret(ctx, secretId.apply(req), Map.of());
    }

    /** Condition keys from (name, value) pairs; null values are absent from the request, so left out. */
    private static Map<String, List<String>> keys(String... namesAndValues) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) SecretAccessTargets.put(keys, namesAndValues[i], namesAndValues[i + 1]);
        return keys;
    }

    private static String str(Object value) {
        return value == null ? null : value.toString();
    }

    public List<Operation<?, ?>> operations() {
        return operations;
    }

    /**
     * What a call on this secret would be authorized against (ARN, owner account, resource policy, condition
     * keys), with no action-specific keys: for the access analyses, which ask the same question the pipeline does.
     */
    public AccessTarget accessTarget(CallContext ctx, String secretId) {
        return targets.secret(ctx, secretId, Map.of());
    }

    /** Every secret of one account, in every region it has secrets in. */
    public List<SecretEntry> secretsOf(String accountId) {
        List<SecretEntry> all = new java.util.ArrayList<>();
        for (String region : store.read(tx -> tx.secrets().regionsOf(accountId))) all.addAll(secretsIn(accountId, region));
        return all;
    }

    /** Every secret of one account in one region (replicas and secrets scheduled for deletion included), with its tags. */
    public List<SecretEntry> secretsIn(String accountId, String region) {
        return store.read(tx -> {
            Map<String, List<TagRow>> tags = tx.secrets().tagsInRegion(accountId, region);
            return tx.secrets().listInRegion(accountId, region).stream().map(s -> {
                Map<String, String> byKey = new LinkedHashMap<>();
                for (TagRow tag : tags.getOrDefault(s.secretId(), List.of())) byKey.put(tag.key(), tag.value() == null ? "" : tag.value());
                return new SecretEntry(s.accountId(), s.region(), s.arn(), s.name(), byKey);
            }).toList();
        });
    }

    /** What a hygiene report needs of every secret of one account, in every region, read in one unit of work. */
    public List<SecretFacts> factsOf(String accountId) {
        return store.read(tx -> {
            List<SecretRow> rows = tx.secrets().listOfAccount(accountId);
            Map<String, List<TagRow>> tags = tx.secrets().tagsOfAccount(accountId);
            Map<String, Long> current = tx.secrets().currentVersionCreatedAt(accountId);
            Map<String, String> arnById = new LinkedHashMap<>();
            for (SecretRow s : rows) arnById.put(s.secretId(), s.arn());
            List<SecretFacts> out = new java.util.ArrayList<>();
            for (SecretRow s : rows) {
                Map<String, String> byKey = new LinkedHashMap<>();
                for (TagRow tag : tags.getOrDefault(s.secretId(), List.of())) byKey.put(tag.key(), tag.value() == null ? "" : tag.value());
                out.add(new SecretFacts(new SecretEntry(s.accountId(), s.region(), s.arn(), s.name(), byKey),
                        Instant.ofEpochMilli(s.createdAt()), SecretViews.instant(s.lastAccessedAt()), s.rotationEnabled(),
                        SecretViews.rotationRules(s.rotationRules()), SecretViews.instant(s.lastRotatedAt()),
                        SecretViews.instant(current.get(s.secretId())), s.isScheduledForDeletion(),
                        s.isReplica() ? arnById.get(s.primarySecretId()) : null));
            }
            return out;
        });
    }

    private static <Q, R> Operation<Q, R> read(String name, Class<Q> type, Operation.Handler<Q, R> handler) {
        return new Operation<>(SIGNING_NAME, name, type, true, handler);
    }

    private static <Q, R> Operation<Q, R> write(String name, Class<Q> type, Operation.Handler<Q, R> handler) {
        return new Operation<>(SIGNING_NAME, name, type, false, handler);
    }
}
