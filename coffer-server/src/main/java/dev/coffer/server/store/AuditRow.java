package dev.coffer.server.store;

import java.util.List;

/**
 * One stored audit event: the CloudTrail record as JSON text (what the hash covers, with the previous
 * hash) and copies of its lookup fields. Never holds a secret value: the record was redacted before it
 * was built.
 *
 * @param eventTime epoch milliseconds
 * @param prevHash  the hash of the event before it in the chain (hex SHA-256), 64 zeros for the first
 * @param resources what the event acted on, in the record's order, then lookup-only aliases
 */
public record AuditRow(long seq, String eventId, long eventTime, String accountId, String region, String eventSource,
                       String eventName, String username, String accessKeyId, boolean readOnly, String sourceIp,
                       String errorCode, String recordJson, String prevHash, String hash, List<Resource> resources) {

    public AuditRow {
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    /** A resource of the event; {@code shown} false for a lookup-only alias (a secret's name beside its ARN). */
    public record Resource(String type, String name, boolean shown) {}

    /** The head of the chain: the last event's sequence number, hash and time (0, zeros, 0 for an empty chain). */
    public record ChainHead(long lastSeq, String lastHash, long lastTime) {}
}
