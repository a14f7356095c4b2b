package dev.coffer.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.store.AuditDigestRow;
import dev.coffer.server.store.AuditRow;
import dev.coffer.server.store.Store;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks the whole audit trail against itself and against its signed digests, trusting nothing but the
 * public key: every event's hash over its predecessor's hash and its record, every link from an event to
 * the one before it, every indexed column against the record, and every digest's signature, its link to
 * the digest before it, the chain's hash at the sequence number it signed, its event count and time range.
 *
 * <p>A naive edit (a record changed, a row deleted, inserted or moved) is named by sequence number and
 * eventID. An attacker who also rebuilds every later hash keeps the chain consistent, but cannot sign a
 * digest: the first digest whose range holds the change no longer matches, and that range is named.
 */
public final class ChainVerifier {
    private static final int PAGE = 2_000;
    private static final int MAX_FINDINGS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What kind of problem a finding is. */
    public enum Kind { CHANGED, REMOVED, INSERTED, REORDERED, DIGEST }

    /** One problem: the event (sequence number and eventID) or digest it concerns, and what is wrong, in one sentence. */
    public record Finding(Kind kind, long seq, String eventId, String message) {}

    /**
     * @param unsignedEvents events after the last digest: chained, but no signature vouches for them yet
     */
    public record Report(long eventsChecked, long digestsChecked, long unsignedEvents, List<Finding> findings) {
        public boolean intact() {
            return findings.isEmpty();
        }
    }

    private final Store store;
    private final PublicKey key;

    public ChainVerifier(Store store, PublicKey key) {
        this.store = store;
        this.key = key;
    }

    public Report verify() {
        List<AuditDigestRow> digests = store.read(tx -> tx.audit().digests());
        TreeMap<Long, AuditDigestRow> byFirstSeq = new TreeMap<>();
        for (AuditDigestRow d : digests) if (d.lastSeq() >= d.firstSeq()) byFirstSeq.put(d.firstSeq(), d);
        Map<Long, String> rebuiltAt = new HashMap<>();   // the chain's hash, recomputed from the start, at digest ends
        Map<Long, Long> timeAt = new HashMap<>();        // event times at digest boundaries
        Map<Long, Long> counted = new HashMap<>();       // events seen per digest
        List<Finding> findings = new ArrayList<>();

        String storedPrevious = AuditChain.GENESIS;
        String rebuilt = AuditChain.GENESIS;
        long lastSeq = 0;
        long checked = 0;
        List<AuditRow> page = store.read(tx -> tx.audit().page(0, PAGE));
        while (!page.isEmpty()) {
            for (int i = 0; i < page.size(); i++) {
                AuditRow r = page.get(i);
                checked++;
                rebuilt = AuditChain.hash(rebuilt, r.recordJson());
                var covering = byFirstSeq.floorEntry(r.seq());
                if (covering != null && r.seq() <= covering.getValue().lastSeq()) {
                    AuditDigestRow d = covering.getValue();
                    counted.merge(d.digestSeq(), 1L, Long::sum);
                    if (r.seq() == d.lastSeq()) rebuiltAt.put(r.seq(), rebuilt);
                    if (r.seq() == d.firstSeq() || r.seq() == d.lastSeq()) timeAt.put(r.seq(), r.eventTime());
                }
                if (findings.size() < MAX_FINDINGS) {
                    if (!AuditChain.hash(r.prevHash(), r.recordJson()).equals(r.hash())) {
                        findings.add(new Finding(Kind.CHANGED, r.seq(), r.eventId(), "event " + describe(r)
                                + " was changed: its record no longer matches its hash"));
                    } else {
                        String field = disagreement(r);
                        if (field != null) {
                            findings.add(new Finding(Kind.CHANGED, r.seq(), r.eventId(), "event " + describe(r)
                                    + " was changed: its indexed " + field + " disagrees with its record"));
                        }
                    }
                    if (!r.prevHash().equals(storedPrevious)) {
                        AuditRow next = i + 1 < page.size() ? page.get(i + 1) : nextAfter(r.seq());
                        findings.add(broken(r, lastSeq, storedPrevious, next));
                    }
                }
                storedPrevious = r.hash();
                lastSeq = r.seq();
            }
            long after = lastSeq;
            page = store.read(tx -> tx.audit().page(after, PAGE));
        }

        String previousSignature = null;
        long previousLast = 0;
        long signedUpTo = 0;
        String keyId = DigestKeys.keyId(key);
        for (AuditDigestRow d : digests) {
            if (findings.size() >= MAX_FINDINGS) break;
            String name = "digest #" + d.digestSeq() + " (" + Instant.ofEpochMilli(d.createdAt()) + ")";
            if (!keyId.equals(d.keyId())) {
                findings.add(digest(d, name + " was signed by another key (" + d.keyId() + "), not the one given"));
            } else if (!DigestKeys.verify(key, ChainDigests.signedText(d), d.signature())) {
                findings.add(digest(d, name + " does not verify: the digest itself was changed"));
            }
            if (!Objects.equals(previousSignature, d.previousSignature())) {
                findings.add(digest(d, name + " does not carry the previous digest's signature: a digest before it was "
                        + "removed or replaced"));
            }
            if (d.firstSeq() != previousLast + 1) {
                findings.add(digest(d, name + " starts at event " + d.firstSeq() + ", not after the previous digest's "
                        + previousLast));
            }
            if (d.lastSeq() >= d.firstSeq()) {
                String range = "events " + d.firstSeq() + ".." + d.lastSeq();
                String hash = rebuiltAt.get(d.lastSeq());
                long seen = counted.getOrDefault(d.digestSeq(), 0L);
                if (hash == null) {
                    findings.add(digest(d, name + " signed " + range + ", but event " + d.lastSeq() + " is missing"));
                } else if (!hash.equals(d.lastHash())) {
                    findings.add(digest(d, name + " signed " + range + ", which no longer hash to what it signed: an event up "
                            + "to " + d.lastSeq() + " was changed, removed, inserted or reordered"
                            + (firstChainFinding(findings) ? "" : " and the chain's hashes rebuilt to hide it")));
                } else if (seen != d.eventCount()) {
                    findings.add(digest(d, name + " signed " + d.eventCount() + " events in " + range + "; " + seen
                            + " are stored"));
                } else if (!Objects.equals(timeAt.get(d.firstSeq()), d.startTime())
                        || !Objects.equals(timeAt.get(d.lastSeq()), d.endTime())) {
                    findings.add(digest(d, name + " signed a time range its events no longer have"));
                }
                signedUpTo = Math.max(signedUpTo, d.lastSeq());
            }
            previousSignature = d.signature();
            previousLast = Math.max(previousLast, d.lastSeq());
        }
        return new Report(checked, digests.size(), Math.max(0, lastSeq - signedUpTo), List.copyOf(findings));
    }

    private static boolean firstChainFinding(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.kind() != Kind.DIGEST);
    }

    private static Finding digest(AuditDigestRow d, String message) {
        return new Finding(Kind.DIGEST, d.lastSeq(), null, message);
    }

    private AuditRow nextAfter(long seq) {
        List<AuditRow> next = store.read(tx -> tx.audit().page(seq, 1));
        return next.isEmpty() ? null : next.getFirst();
    }

    /** Event {@code r} does not link to the event stored before it ({@code previousSeq}): say how the chain was broken. */
    private Finding broken(AuditRow r, long previousSeq, String previousHash, AuditRow next) {
        if (r.seq() != previousSeq + 1) {
            return new Finding(Kind.REMOVED, r.seq(), r.eventId(), (r.seq() - previousSeq - 1) + " event(s) were removed "
                    + "before event " + describe(r) + ": sequence numbers " + (previousSeq + 1) + ".." + (r.seq() - 1)
                    + " are missing");
        }
        Optional<AuditRow> predecessor = store.read(tx -> tx.audit().byHash(r.prevHash()));
        if (predecessor.isPresent() && predecessor.get().seq() > r.seq()) {
            return new Finding(Kind.REORDERED, r.seq(), r.eventId(), "event " + describe(r) + " was moved: it was recorded "
                    + "after event " + describe(predecessor.get()) + ", which now comes later");
        }
        if (predecessor.isPresent() && predecessor.get().seq() < previousSeq) {
            long first = predecessor.get().seq() + 1;
            Optional<AuditRow> intruder = store.read(tx -> tx.audit().bySeq(first));
            return new Finding(Kind.INSERTED, first, intruder.map(AuditRow::eventId).orElse(null), "event "
                    + intruder.map(ChainVerifier::describe).orElse(String.valueOf(first)) + " was inserted: event "
                    + describe(r) + " was recorded right after event " + predecessor.get().seq());
        }
        if (next != null && next.prevHash().equals(previousHash)) {
            return new Finding(Kind.INSERTED, r.seq(), r.eventId(), "event " + describe(r) + " was inserted: the event "
                    + "after it follows the one before it");
        }
        return new Finding(Kind.REMOVED, r.seq(), r.eventId(), "event " + describe(r) + " does not follow event "
                + previousSeq + ": an event between them was removed, or event " + previousSeq
                + " was changed and its hash recomputed");
    }

    private static String describe(AuditRow r) {
        return r.seq() + " (eventID " + r.eventId() + ")";
    }

    /** The first indexed column that disagrees with the record, or null. */
    private static String disagreement(AuditRow r) {
        JsonNode rec;
        try {
            rec = JSON.readTree(r.recordJson());
        } catch (IOException e) {
            return "record (not JSON)";
        }
        JsonNode id = rec.path("userIdentity");
        if (!Objects.equals(r.eventId(), text(rec, "eventID"))) return "eventID";
        if (r.eventTime() / 1000 != Instant.parse(rec.path("eventTime").asText("1970-01-01T00:00:00Z")).getEpochSecond()) {
            return "event time";
        }
        if (!Objects.equals(r.accountId(), text(rec, "recipientAccountId"))) return "account";
        if (!Objects.equals(r.eventName(), AuditChain.cut(text(rec, "eventName"), 128))) return "event name";
        if (!Objects.equals(r.eventSource(), AuditChain.cut(text(rec, "eventSource"), 128))) return "event source";
        if (!Objects.equals(r.region(), AuditChain.cut(text(rec, "awsRegion"), 64))) return "region";
        if (!Objects.equals(r.sourceIp(), AuditChain.cut(text(rec, "sourceIPAddress"), 128))) return "source IP";
        if (!Objects.equals(r.errorCode(), AuditChain.cut(text(rec, "errorCode"), 128))) return "error code";
        if (r.readOnly() != rec.path("readOnly").asBoolean()) return "read-only flag";
        if (!Objects.equals(r.accessKeyId(), AuditChain.cut(text(id, "accessKeyId"), 128))) return "access key id";
        if (!Objects.equals(r.username(), AuditChain.cut(username(id), 256))) return "username";
        // Null for events stored before the column existed (the alert engine then reads the record itself).
        if (r.actorArn() != null && !r.actorArn().equals(AuditChain.cut(UserIdentity.actorArn(id), 2048))) return "actor";
        List<String> arns = new ArrayList<>();
        for (JsonNode res : rec.path("resources")) arns.add(AuditChain.cut(text(res, "ARN"), 2048));
        if (!arns.equals(r.resource() == null ? List.of() : List.of(r.resource().arn()))) return "resource";
        if (r.resource() != null) {
            String owner = text(rec.path("resources").path(0), "accountId");
            String other = owner == null || owner.equals(text(rec, "recipientAccountId")) ? null : AuditChain.cut(owner, 32);
            if (!Objects.equals(other, r.resource().otherAccount())) return "resource account";
        }
        return null;
    }

    /** The Username an identity is looked up by, as {@link UserIdentity#username} derives it. */
    private static String username(JsonNode id) {
        if (id.isMissingNode() || id.isNull()) return null;
        String type = text(id, "type");
        String arn = text(id, "arn");
        if (type == null) return null;
        return switch (type) {
            case "IAMUser", "WebIdentityUser" -> text(id, "userName");
            case "AssumedRole" -> arn == null ? null : arn.substring(arn.lastIndexOf('/') + 1);
            case UserIdentity.SERVICE_TYPE -> text(id, "invokedBy");
            default -> arn;
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
