package dev.coffer.server.secrets;

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
import dev.coffer.server.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;

/**
 * The Secrets Manager API: wires the domain parts together and lists the operations
 * the pipeline dispatches to, one per AWS operation.
 */
public final class SecretsManagerService {
    public static final String SIGNING_NAME = "secretsmanager";

    private final List<Operation<?, ?>> operations;

    public SecretsManagerService(Store store, Keyring keyring, Clock clock, SecureRandom random,
                                 Predicate<String> acceptedRegion) {
        SecretValues values = new SecretValues(keyring);
        Replication replication = new Replication(store, clock, values, acceptedRegion);
        SecretWrites writes = new SecretWrites(store, clock, random, new SecretVersions(values), replication);
        SecretReads reads = new SecretReads(store, clock, values);
        ResourcePolicies policies = new ResourcePolicies(store, clock);
        RotationSettings rotation = new RotationSettings(store, clock);
        RandomPasswordGenerator passwords = new RandomPasswordGenerator(random);

        operations = List.of(
                write("CreateSecret", CreateSecretRequest.class, writes::create),
                read("GetSecretValue", GetSecretValueRequest.class, reads::get),
                read("BatchGetSecretValue", BatchGetSecretValueRequest.class, reads::batchGet),
                write("PutSecretValue", PutSecretValueRequest.class, writes::put),
                write("UpdateSecret", UpdateSecretRequest.class, writes::update),
                read("DescribeSecret", SecretIdRequest.class, reads::describe),
                read("ListSecrets", ListSecretsRequest.class, reads::list),
                read("ListSecretVersionIds", ListSecretVersionIdsRequest.class, reads::listVersionIds),
                write("UpdateSecretVersionStage", UpdateSecretVersionStageRequest.class, writes::updateVersionStage),
                write("DeleteSecret", DeleteSecretRequest.class, writes::delete),
                write("RestoreSecret", SecretIdRequest.class, writes::restore),
                write("TagResource", TagResourceRequest.class, writes::tag),
                write("UntagResource", UntagResourceRequest.class, writes::untag),
                read("GetRandomPassword", GetRandomPasswordRequest.class, (ctx, req) -> new GetRandomPasswordResponse(
                        passwords.generate(new PasswordOptions(req.PasswordLength(), req.ExcludeCharacters(),
                                req.ExcludeNumbers(), req.ExcludePunctuation(), req.ExcludeUppercase(),
                                req.ExcludeLowercase(), req.IncludeSpace(), req.RequireEachIncludedType())))),
                write("PutResourcePolicy", PutResourcePolicyRequest.class, policies::put),
                read("GetResourcePolicy", SecretIdRequest.class, policies::get),
                write("DeleteResourcePolicy", SecretIdRequest.class, policies::delete),
                read("ValidateResourcePolicy", ValidateResourcePolicyRequest.class, policies::validate),
                write("RotateSecret", RotateSecretRequest.class, rotation::rotate),
                write("CancelRotateSecret", SecretIdRequest.class, rotation::cancel),
                write("ReplicateSecretToRegions", ReplicateSecretToRegionsRequest.class, replication::replicate),
                write("RemoveRegionsFromReplication", RemoveRegionsFromReplicationRequest.class, replication::remove),
                write("StopReplicationToReplica", SecretIdRequest.class, replication::stop));
    }

    public List<Operation<?, ?>> operations() {
        return operations;
    }

    private static <Q, R> Operation<Q, R> read(String name, Class<Q> type, Operation.Handler<Q, R> handler) {
        return new Operation<>(SIGNING_NAME, name, type, true, handler);
    }

    private static <Q, R> Operation<Q, R> write(String name, Class<Q> type, Operation.Handler<Q, R> handler) {
        return new Operation<>(SIGNING_NAME, name, type, false, handler);
    }
}
