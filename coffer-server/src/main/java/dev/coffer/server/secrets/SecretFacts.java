package dev.coffer.server.secrets;

import dev.coffer.server.secrets.SecretsManagerMessages.RotationRules;
import dev.coffer.server.secrets.SecretsManagerService.SecretEntry;
import java.time.Instant;

/**
 * What a hygiene report knows of a secret: where it lives and its tags, when it was created, last read
 * and last rotated, how it rotates, and when its current value was made. Never a value.
 *
 * @param lastAccessed          the day it was last read (LastAccessedDate: day granularity), or null when never
 * @param rotationRules         its stored rotation schedule, or null; it runs only while {@code rotationEnabled}
 * @param lastRotated           when a rotation last completed (LastRotatedDate), or null when never
 * @param currentVersionCreated when the version labelled AWSCURRENT was created, or null when it has none
 * @param primaryArn            for a replica, its primary's ARN; null otherwise
 */
public record SecretFacts(SecretEntry secret, Instant createdAt, Instant lastAccessed, boolean rotationEnabled,
                          RotationRules rotationRules, Instant lastRotated, Instant currentVersionCreated,
                          boolean scheduledForDeletion, String primaryArn) {

    public boolean isReplica() {
        return primaryArn != null;
    }
}
