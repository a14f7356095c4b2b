package dev.coffer.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored form of a batch of audit events: every field comes back as it went in, and damage is refused. */
class AuditBatchTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";

    private static AuditRow read(long seq, String user, String ip) {
        String record = "{\"eventID\":\"id-" + seq + "\",\"userIdentity\":{\"userName\":\"" + user + "\"},\"sourceIPAddress\":\""
                + ip + "\",\"eventName\":\"GetSecretValue\",\"resources\":[{\"ARN\":\"" + ARN + "\"}]}";
        return new AuditRow(seq, "id-" + seq, 1_700_000_000_000L + seq, "123456789012", "us-east-1",
                "secretsmanager.amazonaws.com", "GetSecretValue", user, "AKIA0000000000000001", true, ip, null,
                new AuditRow.Resource("AWS::SecretsManager::Secret", ARN, "prod/db"), record, hash(seq - 1), hash(seq),
                "arn:aws:iam::123456789012:user/" + user);
    }

    private static AuditRow withoutRecord(AuditRow r) {
        return new AuditRow(r.seq(), r.eventId(), r.eventTime(), r.accountId(), r.region(), r.eventSource(), r.eventName(),
                r.username(), r.accessKeyId(), r.readOnly(), r.sourceIp(), r.errorCode(), r.resource(), null, r.prevHash(),
                r.hash(), r.actorArn());
    }

    /** A stand-in for an event's chain hash: as random-looking as SHA-256's, which it is. */
    private static String hash(long seq) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Long.toString(seq).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyField_comesBackAsStored_nullsAndNonAsciiIncluded() {
        AuditRow sparse = new AuditRow(7, "id-7", 0, "123456789012", null, null, null, null, null, false, null, "AccessDenied",
                null, "{}", "0".repeat(64), "f".repeat(64), null);
        AuditRow crossAccount = new AuditRow(8, "id-8", -1, "210987654321", "eu-west-1", "sts.amazonaws.com", "AssumeRole",
                "ünïcødé 名前", null, false, "::1", null, new AuditRow.Resource("AWS::IAM::Role", "arn:aws:iam::1:role/r",
                "arn:aws:iam::1:role/r", "123456789012"), "{\"emoji\":\"\uD83D\uDD11\"}", "f".repeat(64), "e".repeat(64), null);
        List<AuditRow> rows = List.of(sparse, crossAccount, read(9, "app", "10.0.0.9"));
        assertThat(AuditBatch.decode(AuditBatch.encode(rows))).isEqualTo(rows);
    }

    @Test
    void onlyTheEventsKept_areReturned_withTheirRecordsOnlyWhenAskedFor() {
        List<AuditRow> rows = new ArrayList<>();
        for (long seq = 1; seq <= 10; seq++) rows.add(read(seq, seq % 2 == 0 ? "even" : "odd", "10.0.0." + seq));
        byte[] stored = AuditBatch.encode(rows);
        List<AuditRow> evens = AuditBatch.decode(stored, Long.MIN_VALUE, Long.MAX_VALUE, r -> {
            assertThat(r.recordJson()).as("judged on its columns, before the record is decoded").isNull();
            return "even".equals(r.username());
        }, AuditBatch.ALL_RECORDS);
        assertThat(evens).extracting(AuditRow::seq).containsExactly(2L, 4L, 6L, 8L, 10L);
        assertThat(evens).isEqualTo(rows.stream().filter(r -> r.seq() % 2 == 0).toList());
        assertThat(AuditBatch.decode(stored, Long.MIN_VALUE, Long.MAX_VALUE, r -> true, AuditBatch.NO_RECORDS))
                .allSatisfy(r -> assertThat(r.recordJson()).isNull())
                .extracting(AuditRow::hash).isEqualTo(rows.stream().map(AuditRow::hash).toList());
        assertThat(AuditBatch.decode(stored, Long.MIN_VALUE, Long.MAX_VALUE, r -> true, r -> "odd".equals(r.username())))
                .as("records decoded only for the events that ask for them")
                .allSatisfy(r -> assertThat(r.recordJson() != null).isEqualTo(r.seq() % 2 == 1))
                .isEqualTo(rows.stream().map(r -> r.seq() % 2 == 1 ? r : withoutRecord(r)).toList());
        assertThat(AuditBatch.decode(stored, 4, 6, r -> true, AuditBatch.ALL_RECORDS)).as("only the range asked for")
                .isEqualTo(rows.subList(3, 6));
    }

    @Test
    void similarEvents_takeAFractionOfTheirSize() {
        List<AuditRow> rows = new ArrayList<>();
        for (long seq = 1; seq <= 64; seq++) rows.add(read(seq, "app-" + seq % 4, "10.0.0." + seq % 8));
        int plain = rows.stream().mapToInt(r -> (r.recordJson() + r.prevHash() + r.hash()).getBytes(StandardCharsets.UTF_8).length)
                .sum();
        // An event's hash is random to the compressor (its successor's prev_hash repeats it); the rest is alike from
        // event to event. Stored, every field of the batch takes well under half of what the records and hashes alone do.
        assertThat(AuditBatch.encode(rows).length).as("stored bytes against the records' and hashes' own").isLessThan(plain / 2);
    }

    @Test
    void anEmptyOrOversizedBatch_isRefused() {
        assertThatThrownBy(() -> AuditBatch.encode(List.of())).isInstanceOf(IllegalArgumentException.class);
        List<AuditRow> tooMany = new ArrayList<>();
        for (long seq = 1; seq <= AuditBatch.MAX_EVENTS + 1; seq++) tooMany.add(read(seq, "u", "10.0.0.1"));
        assertThatThrownBy(() -> AuditBatch.encode(tooMany)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void damagedBytes_areAStoreError_notAWrongEvent() {
        byte[] stored = AuditBatch.encode(List.of(read(1, "u", "10.0.0.1"), read(2, "u", "10.0.0.2")));
        byte[] truncated = Arrays.copyOf(stored, stored.length / 2);
        byte[] otherVersion = stored.clone();
        otherVersion[0] = 9;
        byte[] flipped = stored.clone();
        flipped[stored.length / 2] ^= 0x5a;
        for (byte[] damaged : List.of(truncated, otherVersion, flipped, new byte[0], new byte[] {1, 0, 0, 0, 1})) {
            assertThatThrownBy(() -> AuditBatch.decode(damaged)).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("an audit batch cannot be read");
        }
    }
}
