package dev.coffer.server.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.secrets.SecretsManagerMessages.DescribeSecretResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.ReplicationStatus;
import dev.coffer.server.secrets.SecretsManagerMessages.RotationRules;
import dev.coffer.server.secrets.SecretsManagerMessages.SecretListEntry;
import dev.coffer.server.secrets.SecretsManagerMessages.Tag;
import dev.coffer.server.store.SecretRow;
import dev.coffer.server.store.TagRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The metadata views of a secret (DescribeSecret, ListSecrets entries). Optional fields
 * are present only when they apply, as in AWS: no {@code Tags} until first tagged, no
 * {@code VersionIdsToStages} without versions, rotation fields once rotation was set up.
 * A replica shows its primary's metadata with its own ARN, region and access date.
 */
final class SecretViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SecretViews() {}

    static DescribeSecretResponse describe(SecretRow own, SecretRow meta, List<TagRow> tags,
                                           Map<String, List<String>> stages, List<ReplicationStatus> replication) {
        boolean rotationSetUp = meta.rotationLambdaArn() != null || meta.rotationEnabled();
        return new DescribeSecretResponse(own.arn(), own.name(), meta.description(), own.isReplica() ? own.kmsKeyId()
                : meta.kmsKeyId(), rotationSetUp ? meta.rotationEnabled() : null, meta.rotationLambdaArn(),
                rotationRules(meta.rotationRules()), instant(meta.lastRotatedAt()), Instant.ofEpochMilli(meta.lastChangedAt()),
                instant(own.lastAccessedAt()), instant(meta.deletedAt()),
                meta.rotationEnabled() ? instant(meta.nextRotationAt()) : null, meta.tagged() ? tags(tags) : null,
                stages.isEmpty() ? null : stages, null, Instant.ofEpochMilli(own.createdAt()), primaryRegion(own, replication),
                replication == null || replication.isEmpty() ? null : replication);
    }

    static SecretListEntry listEntry(SecretRow own, SecretRow meta, List<TagRow> tags, Map<String, List<String>> stages) {
        boolean rotationSetUp = meta.rotationLambdaArn() != null || meta.rotationEnabled();
        return new SecretListEntry(own.arn(), own.name(), meta.description(), own.isReplica() ? own.kmsKeyId()
                : meta.kmsKeyId(), rotationSetUp ? meta.rotationEnabled() : null, meta.rotationLambdaArn(),
                rotationRules(meta.rotationRules()), instant(meta.lastRotatedAt()), Instant.ofEpochMilli(meta.lastChangedAt()),
                instant(own.lastAccessedAt()), instant(meta.deletedAt()),
                meta.rotationEnabled() ? instant(meta.nextRotationAt()) : null, meta.tagged() ? tags(tags) : null,
                stages == null || stages.isEmpty() ? null : stages, null, Instant.ofEpochMilli(own.createdAt()),
                own.primaryRegion());
    }

    private static String primaryRegion(SecretRow own, List<ReplicationStatus> replication) {
        if (own.isReplica()) return own.primaryRegion();
        return replication != null && !replication.isEmpty() ? own.region() : null;
    }

    static List<Tag> tags(List<TagRow> rows) {
        return rows.stream().map(t -> new Tag(t.key(), t.value())).toList();
    }

    static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    static RotationRules rotationRules(String json) {
        if (json == null) return null;
        try {
            return JSON.readValue(json, RotationRules.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rotation rules are not valid JSON", e);
        }
    }

    static String rotationRulesJson(RotationRules rules) {
        try {
            return JSON.writeValueAsString(rules);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
