package dev.coffer.server.store;

/**
 * One stored audit event: the CloudTrail record as JSON text (what the hash covers, with the previous
 * hash) and copies of its lookup fields. Never holds a secret value: the record was redacted before it
 * was built.
 *
 * @param eventTime epoch milliseconds
 * @param prevHash  the hash of the event before it in the chain (hex SHA-256), 64 zeros for the first
 * @param resource  what the event acted on, or null
 * @param actorArn  who called, as alert baselines know them (a user's ARN, a role session's role ARN), or null: for
 *                  service events, unidentified callers, and events stored before the column existed
 */
public record AuditRow(long seq, String eventId, long eventTime, String accountId, String region, String eventSource,
                       String eventName, String username, String accessKeyId, boolean readOnly, String sourceIp,
                       String errorCode, Resource resource, String recordJson, String prevHash, String hash,
                       String actorArn) {

    /**
     * The resource of an event: its type and ARN, the plain name it is looked up by (the ARN when it has none), and
     * its owner account when that is not the event's (a cross-account call, found by both accounts), else null.
     */
    public record Resource(String type, String arn, String name, String otherAccount) {
        public Resource(String type, String arn, String name) {
            this(type, arn, name, null);
        }
    }

    /** The head of the chain: the last event's sequence number, hash and time (0, zeros, 0 for an empty chain). */
    public record ChainHead(long lastSeq, String lastHash, long lastTime) {}
}
