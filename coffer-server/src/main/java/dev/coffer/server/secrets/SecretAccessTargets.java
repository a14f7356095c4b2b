package dev.coffer.server.secrets;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.secrets.SecretsManagerMessages.CreateSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.Tag;
import dev.coffer.server.store.ChangeDomain;
import dev.coffer.server.store.SecretRow;
import dev.coffer.server.store.Store;
import dev.coffer.server.store.TagRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each Secrets Manager call acts on, for the policy evaluator: the secret's ARN, its
 * owner account, its resource policy, and the condition keys AWS documents for the
 * action ({@code secretsmanager:SecretId}, {@code secretsmanager:ResourceTag/…},
 * {@code secretsmanager:VersionStage}, {@code aws:RequestTag/…}, …).
 *
 * <p>A secret that does not exist is still a target: its ARN is the one the SecretId names
 * (a name becomes {@code arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME}), so a caller
 * without permission learns AccessDenied, not whether the secret exists, as in AWS. A new
 * secret (CreateSecret) is {@code …:secret:NAME-??????}: the random suffix is not chosen
 * yet, and the six {@code ?} let policies written for real ARNs match it.
 *
 * <p>Secret metadata is read once and cached; an entry is trusted only while the store's
 * secrets change counter is unchanged, so a changed resource policy or tag takes effect on
 * the next request.
 */
final class SecretAccessTargets {
    private final Store store;
    private final Cache<Key, Found> recent = Caffeine.newBuilder().maximumSize(50_000).build();

    private record Key(String accountId, String region, String secretId) {}

    /** resourcePolicy is the secret's policy only if its MAC verified (ResourcePolicies.verifiedPolicy). */
    private record Found(Optional<SecretRow> secret, List<TagRow> tags, String resourcePolicy, long counter) {}

    private final Keyring keyring;

    SecretAccessTargets(Store store, Keyring keyring) {
        this.store = store;
        this.keyring = keyring;
    }

    /** A target for a call on one existing (or missing) secret, with the action's own condition keys. */
    AccessTarget secret(CallContext ctx, String secretId, Map<String, List<String>> actionKeys) {
        Map<String, List<String>> keys = new LinkedHashMap<>(actionKeys);
        if (secretId != null) keys.put("secretsmanager:SecretId", List.of(secretId));
        Optional<SecretRow> secret = Optional.empty();
        List<TagRow> tags = List.of();
        String resourcePolicy = null;
        if (secretId != null && secretIdWellFormed(secretId)) {
            Found found = find(ctx, secretId);
            secret = found.secret();
            tags = found.tags();
            resourcePolicy = found.resourcePolicy();
        }
        if (secret.isPresent()) {
            SecretRow s = secret.get();
            for (TagRow tag : tags) keys.put("secretsmanager:ResourceTag/" + tag.key(), List.of(tag.value()));
            keys.put("secretsmanager:SecretPrimaryRegion", List.of(s.primaryRegion() != null ? s.primaryRegion() : s.region()));
            for (TagRow tag : tags) keys.put("aws:ResourceTag/" + tag.key(), List.of(tag.value()));
            return new AccessTarget(s.arn(), s.accountId(), resourcePolicy, keys).namedAs(secretId);
        }
        String arn = secretId != null && SecretNames.isArn(secretId) ? secretId
                : "arn:aws:secretsmanager:" + ctx.region() + ":" + ctx.accountId() + ":secret:" + secretId;
        return new AccessTarget(arn, accountOf(arn, ctx.accountId()), null, keys).namedAs(secretId);
    }

    /** CreateSecret: the secret to be, its name, and the tags it is created with. */
    AccessTarget create(CallContext ctx, CreateSecretRequest req) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        put(keys, "secretsmanager:Name", req.Name());
        put(keys, "secretsmanager:Description", req.Description());
        put(keys, "secretsmanager:KmsKeyId", req.KmsKeyId());
        if (req.ForceOverwriteReplicaSecret() != null) {
            put(keys, "secretsmanager:ForceOverwriteReplicaSecret", req.ForceOverwriteReplicaSecret().toString());
        }
        if (req.AddReplicaRegions() != null && !req.AddReplicaRegions().isEmpty()) {
            keys.put("secretsmanager:AddReplicaRegions", req.AddReplicaRegions().stream()
                    .map(SecretsManagerMessages.ReplicaRegion::Region).toList());
        }
        requestTags(keys, req.Tags());
        String arn = "arn:aws:secretsmanager:" + ctx.region() + ":" + ctx.accountId() + ":secret:" + req.Name() + "-??????";
        return new AccessTarget(arn, ctx.accountId(), null, keys).namedAs(req.Name());
    }

    static void requestTags(Map<String, List<String>> keys, List<Tag> tags) {
        if (tags == null || tags.isEmpty()) return;
        List<String> tagKeys = new ArrayList<>();
        for (Tag tag : tags) {
            if (tag == null || tag.Key() == null) continue;
            tagKeys.add(tag.Key());
            if (tag.Value() != null) keys.put("aws:RequestTag/" + tag.Key(), List.of(tag.Value()));
        }
        keys.put("aws:TagKeys", tagKeys);
    }

    static void put(Map<String, List<String>> keys, String key, String value) {
        if (value != null) keys.put(key, List.of(value));
    }

    private Found find(CallContext ctx, String secretId) {
        long counter = store.changeCounter(ChangeDomain.SECRETS);
        Key key = new Key(ctx.accountId(), ctx.region(), secretId);
        Found found = recent.getIfPresent(key);
        if (found == null || found.counter() != counter) {
            found = store.read(tx -> {
                Optional<SecretRow> secret = SecretLookup.find(tx, ctx, secretId);
                List<TagRow> tags = secret.isPresent() ? tx.secrets().tags(secret.get().secretId()) : List.of();
                String policy = secret.isEmpty() ? null : ResourcePolicies.verifiedPolicy(keyring, secret.get(),
                        tx.secrets().resourcePolicyMac(secret.get().secretId()));
                return new Found(secret, tags, policy, counter);
            });
            recent.put(key, found);
        }
        return found;
    }

    private static boolean secretIdWellFormed(String secretId) {
        try {
            SecretNames.requireValidSecretId(secretId);
            return true;
        } catch (RuntimeException e) {
            return false; // the handler answers the validation error after authorization
        }
    }

    private static String accountOf(String arn, String fallback) {
        String[] parts = arn.split(":", 6);
        return parts.length >= 5 && parts[4].matches("\\d{12}") ? parts[4] : fallback;
    }
}
