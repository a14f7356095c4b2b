package dev.coffer.server.audit.alerts;

import dev.coffer.server.audit.CloudTrailEvent;
import dev.coffer.server.store.AuditRow;
import java.io.IOException;
import java.util.Set;

/**
 * What the rules need of one event of the audit trail.
 *
 * @param principal  who called, as baselines know them: an IAM user's ARN, or for a role session the role's ARN (each
 *                   session has its own ARN, so a baseline per session would learn nothing); null for service events and
 *                   callers with no ARN (a web identity before it becomes a session)
 * @param secretArn  the secret it acted on, or null
 * @param read       a successful read of a secret's value
 * @param refused    refused: authorization denied it, or the caller's signature or key was not accepted
 * @param identified the call carried a principal authentication accepted (refused by authorization, or not refused)
 */
record ObservedCall(long seq, String eventId, long time, String accountId, String region, String eventName, String sourceIp,
                    String errorCode, String principal, String secretArn, String secretName, boolean read, boolean refused,
                    boolean identified) {
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException");
    /** Failures of authentication that name a principal or probe for one: a guessed key, a key without its secret. */
    private static final Set<String> NOT_AUTHENTICATED = Set.of("InvalidSignatureException", "SignatureDoesNotMatch",
            "UnrecognizedClientException", "InvalidClientTokenId", "IncompleteSignatureException", "IncompleteSignature");
    private static final Set<String> VALUE_READS = Set.of("GetSecretValue");

    /**
     * Whether {@link #of} needs the event's record, not only its columns: only when no actor column names the caller
     * (the record, most of an event's bytes, is then read for one; see {@link AuditRow#actorArn}).
     */
    static boolean needsRecord(AuditRow columns) {
        return columns.actorArn() == null;
    }

    static ObservedCall of(AuditRow row) {
        String principal = row.actorArn();
        try {
            // No actor column: an event stored before it existed, or one without a principal; the record tells which.
            if (principal == null && row.recordJson() != null) principal = CloudTrailEvent.actorOfRecord(row.recordJson());
        } catch (IOException e) {
            // The chain verifier reports a record that is not JSON; the engine has nothing to learn from it.
            return null;
        }
        String secretArn = null;
        String secretName = null;
        if (row.resource() != null && "AWS::SecretsManager::Secret".equals(row.resource().type())) {
            secretArn = row.resource().arn();
            secretName = row.resource().name();
        }
        String error = row.errorCode();
        boolean denied = error != null && DENIED.contains(error);
        boolean unauthenticated = error != null && NOT_AUTHENTICATED.contains(error);
        boolean read = error == null && secretArn != null && VALUE_READS.contains(row.eventName())
                && "secretsmanager.amazonaws.com".equals(row.eventSource());
        return new ObservedCall(row.seq(), row.eventId(), row.eventTime(), row.accountId(), row.region(), row.eventName(),
                row.sourceIp(), error, principal, secretArn, secretName, read, denied || unauthenticated,
                principal != null && !unauthenticated);
    }
}
