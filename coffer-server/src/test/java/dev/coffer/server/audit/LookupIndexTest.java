package dev.coffer.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.store.AuditQuery;
import dev.coffer.server.store.AuditRow;
import dev.coffer.server.store.SqliteStore;
import dev.coffer.server.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lookups answer the same before and after the indexer has entered the events (the unindexed tail is scanned),
 * stay within one account, page without gaps or repeats across the index's watermark, and a lookup by event id
 * finds its event from the millisecond in the id.
 */
class LookupIndexTest {
    private Path dir;
    private SqliteStore store;
    private AuditLog audit;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("coffer-audit-index-");
        store = SqliteStore.open(dir.resolve("coffer.db"));
        audit = new AuditLog(store);
    }

    @AfterEach
    void close() {
        audit.close();
        store.close();
        TestServer.deleteRecursively(dir);
    }

    private void purgeEvents(String account, int n, Instant from) throws Exception {
        List<CloudTrailEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(ServiceEvents.endSecretDeletion(account, "us-east-1",
                    "arn:aws:secretsmanager:us-east-1:" + account + ":secret:app/s" + (i % 3) + "-AbCdEf", "app/s" + (i % 3),
                    from.plusMillis(i * 10L)));
        }
        store.write(tx -> {
            audit.recordIn(tx, events);
            return null;
        });
    }

    private List<String> ids(AuditQuery.Attribute attribute, String value, String arn) {
        return store.read(tx -> tx.audit().lookup(new AuditQuery("111111111111", "us-east-1", attribute, value, arn, null, null,
                null, null, 100))).stream().map(AuditRow::eventId).toList();
    }

    @Test
    void theTailAndTheIndexAnswerAlike_withinOneAccount() throws Exception {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        purgeEvents("111111111111", 30, t0);
        purgeEvents("222222222222", 30, t0);
        List<String> all = ids(null, null, null);
        List<String> byName = ids(AuditQuery.Attribute.RESOURCE_NAME, "app/s1", null);
        List<String> byArn = ids(AuditQuery.Attribute.RESOURCE_NAME, "app/s1",
                "arn:aws:secretsmanager:us-east-1:111111111111:secret:app/s1-AbCdEf");
        List<String> byType = ids(AuditQuery.Attribute.RESOURCE_TYPE, "AWS::SecretsManager::Secret", null);
        List<String> writes = ids(AuditQuery.Attribute.READ_ONLY, "false", null);
        assertThat(all).hasSize(30);
        assertThat(byName).hasSize(10).isEqualTo(byArn);
        assertThat(byType).isEqualTo(all);
        assertThat(writes).isEqualTo(all);
        assertThat(ids(AuditQuery.Attribute.READ_ONLY, "true", null)).isEmpty();

        audit.indexPending();
        long indexedUpTo = store.read(tx -> tx.audit().indexedUpTo());
        assertThat(indexedUpTo).isEqualTo(60);
        assertThat(ids(null, null, null)).isEqualTo(all);
        assertThat(ids(AuditQuery.Attribute.RESOURCE_NAME, "app/s1", null)).isEqualTo(byName);
        assertThat(ids(AuditQuery.Attribute.RESOURCE_TYPE, "AWS::SecretsManager::Secret", null)).isEqualTo(byType);
        assertThat(ids(AuditQuery.Attribute.READ_ONLY, "false", null)).isEqualTo(writes);
        assertThat(all.getFirst()).as("newest first").isEqualTo(store.read(tx -> tx.audit().bySeq(30)).orElseThrow().eventId());
    }

    @Test
    void pagesAcrossTheWatermark_haveNoGapAndNoRepeat() throws Exception {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        purgeEvents("111111111111", 20, t0);
        audit.indexPending();
        purgeEvents("111111111111", 20, t0.plusSeconds(60));
        List<String> seen = new ArrayList<>();
        Long afterTime = null;
        Long afterSeq = null;
        while (true) {
            Long t = afterTime;
            Long s = afterSeq;
            List<AuditRow> page = store.read(tx -> tx.audit().lookup(new AuditQuery("111111111111", null, null, null, null,
                    null, null, t, s, 7)));
            if (page.isEmpty()) break;
            page.forEach(r -> seen.add(r.eventId()));
            afterTime = page.getLast().eventTime();
            afterSeq = page.getLast().seq();
        }
        assertThat(seen).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    void anEventIdCarriesItsMillisecond() {
        Instant at = Instant.parse("2026-12-01T10:00:00.123Z");
        String id = EventIds.next(at.toEpochMilli());
        assertThat(java.util.UUID.fromString(id).version()).isEqualTo(7);
        assertThat(EventIds.millisOf(id)).isEqualTo(at.toEpochMilli());
        assertThat(EventIds.millisOf("not-an-id")).isEqualTo(-1);
        assertThat(EventIds.next(at.toEpochMilli())).isNotEqualTo(id);
    }
}
