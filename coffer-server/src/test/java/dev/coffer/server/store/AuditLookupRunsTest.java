package dev.coffer.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lookup index keeps one entry per value and block of events, so a lookup reads entries newest first and
 * searches each one's seq range. Against a brute-force filter of every event: every attribute, time ranges,
 * paging, cross-account events, event times out of seq order, small blocks (many entries per value) and an
 * unindexed tail must give exactly the same events in the same order.
 */
class AuditLookupRunsTest {
    private static final String MINE = "111111111111";
    private static final String OTHER = "222222222222";
    private static final long T0 = 1_796_000_000_000L;

    private Path dir;
    private SqliteStore store;
    private final List<AuditRow> all = new ArrayList<>();

    @BeforeEach
    void fill() throws Exception {
        dir = Files.createTempDirectory("coffer-audit-runs-");
        store = SqliteStore.open(dir.resolve("coffer.db"));
        Random random = new Random(42);
        String[] names = {"GetSecretValue", "GetSecretValue", "GetSecretValue", "PutSecretValue", "DescribeSecret"};
        for (int seq = 1; seq <= 900; seq++) {
            boolean cross = random.nextInt(10) == 0;
            String account = cross ? OTHER : random.nextInt(6) == 0 ? OTHER : MINE;
            // Times mostly follow seq but not always: a write's event is stamped when its call began.
            long time = T0 + seq * 10L + random.nextInt(80) - 40 + (random.nextInt(50) == 0 ? -3_000 : 0);
            String secret = "app/s" + (int) Math.floor(Math.pow(random.nextDouble(), 3) * 12);
            String arn = "arn:aws:secretsmanager:us-east-1:" + (cross ? MINE : account) + ":secret:" + secret + "-AbCdEf";
            String name = names[random.nextInt(names.length)];
            String user = random.nextInt(8) == 0 ? null : "user" + random.nextInt(4);
            AuditRow.Resource resource = random.nextInt(12) == 0 ? null
                    : new AuditRow.Resource("AWS::SecretsManager::Secret", arn, secret, cross ? MINE : null);
            all.add(new AuditRow(seq, "id-" + seq, time, account, random.nextInt(5) == 0 ? "eu-west-1" : "us-east-1",
                    "secretsmanager.amazonaws.com", name, user, user == null ? null : "AKIA" + user.toUpperCase(),
                    !name.equals("PutSecretValue"), "10.0.0." + random.nextInt(3), random.nextInt(9) == 0 ? "AccessDenied" : null,
                    resource, "{}", "0".repeat(64), "0".repeat(64), null));
        }
        // Appended as group commits are, in batches of uneven size, so an entry's seq range spans several batch rows.
        for (int from = 0, size = 1; from < all.size(); from += size, size = 1 + random.nextInt(130)) {
            List<AuditRow> batch = all.subList(from, Math.min(all.size(), from + size));
            store.write(tx -> {
                tx.audit().append(batch);
                return null;
            });
        }
        // Index the first 700 in uneven batches with small blocks; the last 200 stay in the unindexed tail.
        int[] batches = {1, 50, 149, 300, 200};
        int from = 0;
        for (int n : batches) {
            List<AuditRow> batch = all.subList(from, from + n);
            store.write(tx -> {
                tx.audit().index(batch, 16);
                return null;
            });
            from += n;
        }
    }

    @AfterEach
    void close() {
        store.close();
        TestServer.deleteRecursively(dir);
    }

    @Test
    void everyAttribute_matchesABruteForceFilter_pageByPage() {
        record Case(AuditQuery.Attribute attribute, String value, Predicate<AuditRow> matches) {}
        List<Case> cases = List.of(
                new Case(null, null, r -> true),
                new Case(AuditQuery.Attribute.EVENT_NAME, "PutSecretValue", r -> "PutSecretValue".equals(r.eventName())),
                new Case(AuditQuery.Attribute.USERNAME, "user2", r -> "user2".equals(r.username())),
                new Case(AuditQuery.Attribute.ACCESS_KEY_ID, "AKIAUSER1", r -> "AKIAUSER1".equals(r.accessKeyId())),
                new Case(AuditQuery.Attribute.SOURCE_IP, "10.0.0.2", r -> "10.0.0.2".equals(r.sourceIp())),
                new Case(AuditQuery.Attribute.ERROR_CODE, "AccessDenied", r -> "AccessDenied".equals(r.errorCode())),
                new Case(AuditQuery.Attribute.RESOURCE_NAME, "app/s0", r -> r.resource() != null && "app/s0".equals(r.resource().name())),
                new Case(AuditQuery.Attribute.RESOURCE_NAME, "app/s11", r -> r.resource() != null && "app/s11".equals(r.resource().name())),
                new Case(AuditQuery.Attribute.READ_ONLY, "false", r -> !r.readOnly()),
                new Case(AuditQuery.Attribute.READ_ONLY, "true", AuditRow::readOnly),
                new Case(AuditQuery.Attribute.EVENT_ID, "id-333", r -> "id-333".equals(r.eventId())),
                new Case(AuditQuery.Attribute.RESOURCE_TYPE, "AWS::SecretsManager::Secret", r -> r.resource() != null));
        Long[][] ranges = {{null, null}, {T0 + 2_000, T0 + 6_000}, {T0 + 8_500, null}, {null, T0 + 1_000}};
        for (Case c : cases) {
            for (String account : List.of(MINE, OTHER)) {
                for (Long[] range : ranges) {
                    for (int limit : new int[] {5, 50}) {
                        Predicate<AuditRow> inAccount = r -> account.equals(r.accountId())
                                || r.resource() != null && account.equals(r.resource().otherAccount());
                        Predicate<AuditRow> inRange = r -> (range[0] == null || r.eventTime() >= range[0])
                                && (range[1] == null || r.eventTime() <= range[1]);
                        List<Long> expected = all.stream().filter(inAccount.and(inRange).and(c.matches()))
                                .sorted(Comparator.comparingLong(AuditRow::eventTime).thenComparingLong(AuditRow::seq).reversed())
                                .map(AuditRow::seq).toList();
                        assertThat(paged(account, c.attribute(), c.value(), range[0], range[1], limit))
                                .as("%s=%s in %s, %s..%s, pages of %d", c.attribute(), c.value(), account, range[0], range[1], limit)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void aResourceArn_narrowsALookupByName() {
        String arn = "arn:aws:secretsmanager:us-east-1:" + MINE + ":secret:app/s1-AbCdEf";
        List<Long> expected = all.stream()
                .filter(r -> r.resource() != null && arn.equals(r.resource().arn())
                        && (MINE.equals(r.accountId()) || MINE.equals(r.resource().otherAccount())))
                .sorted(Comparator.comparingLong(AuditRow::eventTime).thenComparingLong(AuditRow::seq).reversed())
                .map(AuditRow::seq).toList();
        List<AuditRow> found = store.read(tx -> tx.audit().lookup(new AuditQuery(MINE, null, AuditQuery.Attribute.RESOURCE_NAME,
                "app/s1", arn, null, null, null, null, 1_000)));
        assertThat(expected).isNotEmpty();
        assertThat(found.stream().map(AuditRow::seq).toList()).isEqualTo(expected);
    }

    private List<Long> paged(String account, AuditQuery.Attribute attribute, String value, Long start, Long end, int limit) {
        List<Long> seen = new ArrayList<>();
        Long afterTime = null;
        Long afterSeq = null;
        while (true) {
            AuditQuery q = new AuditQuery(account, null, attribute, value, null, start, end, afterTime, afterSeq, limit);
            List<AuditRow> page = store.read(tx -> tx.audit().lookup(q));
            page.forEach(r -> seen.add(r.seq()));
            if (page.size() < limit) return seen;
            afterTime = page.getLast().eventTime();
            afterSeq = page.getLast().seq();
        }
    }
}
