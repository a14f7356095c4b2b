package dev.coffer.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.audit.CloudTrailEvent;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.store.AuditQuery;
import dev.coffer.server.store.AuditRow;
import dev.coffer.server.store.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * How fast audit lookups stay as the trail grows: fills a fresh SQLite store with N synthetic GetSecretValue
 * events (1,000 secrets, 50 users, 200 source addresses, one account, spread over 30 days) through the real
 * append and index path, then times the lookups LookupEvents makes — by secret (newest 50, and 50 from the
 * middle of the time range), by user, by access key, every event, by event id — each run 20 times, printing
 * median and max in milliseconds. Events are appended 10,000 per unit, so stored in batches of the largest size (128),
 * the worst case for a lookup that wants one event of a batch. Run again on the same directory, it times what is there.
 *
 * <pre>java -cp coffer-cli/target/coffer.jar:bench/target/coffer-bench.jar dev.coffer.bench.AuditLookupScale EVENTS DIR</pre>
 */
public final class AuditLookupScale {
    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "us-east-1";
    private static final int SECRETS = 1_000;
    private static final int USERS = 50;
    private static final String AGENT = "aws-sdk-java/2.40.2 md/io#sync md/http#UrlConnection ua/2.1 api/Secrets_Manager#2.40.x "
            + "os/Linux#6.18 lang/java#25.0.3 md/OpenJDK_64-Bit_Server_VM#25.0.3+9-LTS md/vendor#Eclipse_Adoptium m/E,N";

    private AuditLookupScale() {}

    public static void main(String[] args) throws Exception {
        long events = Long.parseLong(args[0]);
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        long spanMillis = 30L * 24 * 3600 * 1000;
        try (SqliteStore store = SqliteStore.open(dir.resolve("coffer.db")); AuditLog audit = new AuditLog(store)) {
            long t0 = System.nanoTime();
            int batch = 10_000;
            // A directory already filled (by an earlier run with the same N) is timed again as it is.
            long filled = store.read(tx -> tx.audit().head().lastSeq());
            if (filled >= events) System.out.printf("timing the %d events already in %s%n", filled, dir);
            for (long done = filled >= events ? events : 0; done < events; done += batch) {
                List<CloudTrailEvent> list = new ArrayList<>(batch);
                for (long i = done; i < Math.min(events, done + batch); i++) {
                    list.add(event(i, start.plusMillis(i * spanMillis / events)));
                }
                store.write(tx -> {
                    audit.recordIn(tx, list);
                    return null;
                });
                if ((done / batch) % 20 == 0) audit.indexPending();
            }
            audit.indexPending();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (filled < events) {
                System.out.printf("filled %d events in %.0f s (%.0f events/s), database %d MB%n", events, seconds,
                        events / seconds, Files.size(dir.resolve("coffer.db")) >> 20);
            }
            Instant middle = start.plusMillis(spanMillis / 2);
            AuditRow some = store.read(tx -> tx.audit().bySeq(events / 3)).orElseThrow();
            time(store, "by secret, newest 50", query(AuditQuery.Attribute.RESOURCE_NAME, "prod/app-417/db", null, null));
            time(store, "by secret, 50 before the middle of the range", query(AuditQuery.Attribute.RESOURCE_NAME,
                    "prod/app-417/db", null, middle.toEpochMilli()));
            time(store, "by secret ARN, newest 50", new AuditQuery(ACCOUNT, REGION, AuditQuery.Attribute.RESOURCE_NAME,
                    "prod/app-417/db", arn(417), null, null, null, null, 51));
            time(store, "by user, newest 50", query(AuditQuery.Attribute.USERNAME, "app-7", null, null));
            time(store, "by access key, newest 50", query(AuditQuery.Attribute.ACCESS_KEY_ID, key(7), null, null));
            time(store, "every event, newest 50", query(null, null, null, null));
            time(store, "writes only (none), newest 50", query(AuditQuery.Attribute.READ_ONLY, "false", null, null));
            // LookupEvents reads an event id's millisecond from the id (UUIDv7) and scans that millisecond.
            time(store, "by event id", new AuditQuery(ACCOUNT, REGION, AuditQuery.Attribute.EVENT_ID, some.eventId(), null,
                    some.eventTime(), some.eventTime(), null, null, 51));
        }
    }

    private static AuditQuery query(AuditQuery.Attribute attribute, String value, Long start, Long end) {
        return new AuditQuery(ACCOUNT, REGION, attribute, value, null, start, end, null, null, 51);
    }

    private static void time(SqliteStore store, String what, AuditQuery q) {
        long[] ms = new long[20];
        int found = 0;
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            List<AuditRow> rows = store.read(tx -> tx.audit().lookup(q));
            ms[i] = System.nanoTime() - t;
            found = rows.size();
        }
        Arrays.sort(ms);
        System.out.printf("%-48s %3d events  median %7.2f ms  max %7.2f ms%n", what, found, ms[ms.length / 2] / 1e6,
                ms[ms.length - 1] / 1e6);
    }

    private static String arn(int secret) {
        return "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:prod/app-" + secret + "/db-AbCdEf";
    }

    private static String key(int user) {
        return String.format("AKIA%016d", user);
    }

    private static CloudTrailEvent event(long i, Instant when) {
        int secret = (int) (i * 7919 % SECRETS);
        int user = (int) (i % USERS);
        Principal who = new Principal(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":user/app-" + user, String.format("AIDA%017d", user),
                key(user), Principal.Kind.USER);
        String name = "prod/app-" + secret + "/db";
        return new CloudTrailEvent(UUID.randomUUID().toString(), when, CloudTrailEvent.API_CALL, who,
                "secretsmanager.amazonaws.com", "GetSecretValue", REGION, "10.0." + (i % 200) / 250 + "." + (i % 200), AGENT,
                JsonNodeFactory.instance.objectNode().put("secretId", name), null, null, null, UUID.randomUUID().toString(), true,
                List.of(new CloudTrailEvent.Resource(arn(secret), "AWS::SecretsManager::Secret", ACCOUNT, name)), ACCOUNT, null);
    }
}
