package dev.coffer.server.store;

/**
 * One signed digest of the audit chain: the events {@code firstSeq..lastSeq} (none when lastSeq &lt; firstSeq),
 * the chain's hash at lastSeq, and the previous digest's signature, signed with the key named by keyId.
 * Times are epoch milliseconds; startTime/endTime are the first and last covered events' times (0 if none).
 */
public record AuditDigestRow(long digestSeq, long createdAt, long firstSeq, long lastSeq, String lastHash, long eventCount,
                             long startTime, long endTime, String previousSignature, String keyId, String signature) {}
