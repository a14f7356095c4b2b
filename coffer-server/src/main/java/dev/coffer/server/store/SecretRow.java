package dev.coffer.server.store;

/**
 * A secret's metadata row. Times are epoch milliseconds; nullable ones are {@code Long}.
 * A replica has {@code primarySecretId} and {@code primaryRegion} set and no versions
 * of its own: it reads its primary's.
 */
public record SecretRow(
        String secretId,
        String accountId,
        String region,
        String name,
        String arn,
        String description,
        String kmsKeyId,
        long createdAt,
        long lastChangedAt,
        Long lastAccessedAt,
        Long deletedAt,
        Long deletionDate,
        boolean rotationEnabled,
        String rotationLambdaArn,
        String rotationRules,
        Long lastRotatedAt,
        Long nextRotationAt,
        boolean tagged,
        String resourcePolicy,
        String primarySecretId,
        String primaryRegion) {

    public boolean isScheduledForDeletion() {
        return deletedAt != null;
    }

    public boolean isReplica() {
        return primarySecretId != null;
    }

    /** The secret whose versions this one serves: itself, or its primary for a replica. */
    public String versionOwnerId() {
        return primarySecretId != null ? primarySecretId : secretId;
    }

    public SecretRow withLastChanged(long now) {
        return new SecretRow(secretId, accountId, region, name, arn, description, kmsKeyId, createdAt, now, lastAccessedAt,
                deletedAt, deletionDate, rotationEnabled, rotationLambdaArn, rotationRules, lastRotatedAt, nextRotationAt,
                tagged, resourcePolicy, primarySecretId, primaryRegion);
    }

    public SecretRow withDetails(String newDescription, String newKmsKeyId, long now) {
        return new SecretRow(secretId, accountId, region, name, arn, newDescription, newKmsKeyId, createdAt, now,
                lastAccessedAt, deletedAt, deletionDate, rotationEnabled, rotationLambdaArn, rotationRules, lastRotatedAt,
                nextRotationAt, tagged, resourcePolicy, primarySecretId, primaryRegion);
    }

    public SecretRow withDeletion(Long newDeletedAt, Long newDeletionDate) {
        return new SecretRow(secretId, accountId, region, name, arn, description, kmsKeyId, createdAt, lastChangedAt,
                lastAccessedAt, newDeletedAt, newDeletionDate, rotationEnabled, rotationLambdaArn, rotationRules,
                lastRotatedAt, nextRotationAt, tagged, resourcePolicy, primarySecretId, primaryRegion);
    }

    /** Marks the secret as tagged: from now on DescribeSecret shows {@code Tags}, even empty. */
    public SecretRow withTagged(long now) {
        return new SecretRow(secretId, accountId, region, name, arn, description, kmsKeyId, createdAt, now, lastAccessedAt,
                deletedAt, deletionDate, rotationEnabled, rotationLambdaArn, rotationRules, lastRotatedAt, nextRotationAt,
                true, resourcePolicy, primarySecretId, primaryRegion);
    }

    public SecretRow withRotation(boolean enabled, String lambdaArn, String rules, Long nextRotation, long now) {
        return new SecretRow(secretId, accountId, region, name, arn, description, kmsKeyId, createdAt, now, lastAccessedAt,
                deletedAt, deletionDate, enabled, lambdaArn, rules, lastRotatedAt, nextRotation, tagged, resourcePolicy,
                primarySecretId, primaryRegion);
    }

    public SecretRow withResourcePolicy(String policy, long now) {
        return new SecretRow(secretId, accountId, region, name, arn, description, kmsKeyId, createdAt, now, lastAccessedAt,
                deletedAt, deletionDate, rotationEnabled, rotationLambdaArn, rotationRules, lastRotatedAt, nextRotationAt,
                tagged, policy, primarySecretId, primaryRegion);
    }

    /** The replica promoted to a standalone secret (StopReplicationToReplica). */
    public SecretRow asStandalone(long now) {
        return new SecretRow(secretId, accountId, region, name, arn, description, kmsKeyId, createdAt, now, lastAccessedAt,
                deletedAt, deletionDate, rotationEnabled, rotationLambdaArn, rotationRules, lastRotatedAt, nextRotationAt,
                tagged, resourcePolicy, null, null);
    }
}
