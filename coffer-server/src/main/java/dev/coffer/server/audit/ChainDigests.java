package dev.coffer.server.audit;

import dev.coffer.server.store.AuditDigestRow;
import dev.coffer.server.store.AuditRow;
import dev.coffer.server.store.Store;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Optional;

/**
 * Signs a digest of the audit chain at a fixed interval, as CloudTrail's log-file integrity validation
 * does: the last sequence number and hash, the number of events since the previous digest, their time
 * range, and the previous digest's signature, under the Ed25519 key of {@link DigestKeys}. A digest is
 * written even when no event arrived, so a gap in digests is itself visible.
 */
public final class ChainDigests {
    private final Store store;
    private final KeyPair key;
    private final String keyId;
    private final Clock clock;

    public ChainDigests(Store store, KeyPair key, Clock clock) {
        this.store = store;
        this.key = key;
        this.keyId = DigestKeys.keyId(key.getPublic());
        this.clock = clock;
    }

    /** The text a digest's signature covers: every field but the signature, one per line. */
    public static String signedText(AuditDigestRow d) {
        return "coffer-audit-digest/1\n" + "digestSeq=" + d.digestSeq() + "\ncreatedAt=" + d.createdAt() + "\nfirstSeq="
                + d.firstSeq() + "\nlastSeq=" + d.lastSeq() + "\nlastHash=" + d.lastHash() + "\neventCount=" + d.eventCount()
                + "\nstartTime=" + d.startTime() + "\nendTime=" + d.endTime() + "\npreviousSignature="
                + (d.previousSignature() == null ? "" : d.previousSignature()) + "\nkeyId=" + d.keyId() + "\n";
    }

    /** Writes the next digest; returns it. */
    public AuditDigestRow sign() {
        return store.write(tx -> {
            AuditRow.ChainHead head = tx.audit().head();
            Optional<AuditDigestRow> previous = tx.audit().lastDigest();
            long firstSeq = previous.map(p -> p.lastSeq() + 1).orElse(1L);
            long count = Math.max(0, head.lastSeq() - firstSeq + 1);
            long startTime = count == 0 ? 0 : tx.audit().bySeq(firstSeq).map(AuditRow::eventTime).orElse(0L);
            long endTime = count == 0 ? 0 : head.lastTime();
            AuditDigestRow unsigned = new AuditDigestRow(previous.map(p -> p.digestSeq() + 1).orElse(1L), clock.millis(),
                    firstSeq, head.lastSeq(), head.lastHash(), count, startTime, endTime,
                    previous.map(AuditDigestRow::signature).orElse(null), keyId, "");
            AuditDigestRow signed = new AuditDigestRow(unsigned.digestSeq(), unsigned.createdAt(), unsigned.firstSeq(),
                    unsigned.lastSeq(), unsigned.lastHash(), unsigned.eventCount(), unsigned.startTime(), unsigned.endTime(),
                    unsigned.previousSignature(), unsigned.keyId(), DigestKeys.sign(key.getPrivate(), signedText(unsigned)));
            tx.audit().insertDigest(signed);
            return signed;
        });
    }
}
