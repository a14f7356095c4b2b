package dev.coffer.server.audit.export;

import dev.coffer.server.store.AuditRow;
import dev.coffer.server.testkit.StoredAuditEvents;
import dev.coffer.server.testkit.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** What the export tests share: SDK traffic with known secret values, the audit table's event ids, the lag gauges. */
final class ExportTraffic implements AutoCloseable {
    /** Every plaintext written, to search the exported bytes for. */
    final List<String> plaintexts = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicInteger succeeded = new AtomicInteger();
    final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    /** Starts one thread per client making writes (create, put) and reads (get, describe, list) until closed. */
    ExportTraffic(List<SecretsManagerClient> clients) {
        int t = 0;
        for (SecretsManagerClient client : clients) {
            int thread = t++;
            threads.add(Thread.ofPlatform().daemon(true).name("export-traffic-" + thread).start(() -> run(client, thread)));
        }
    }

    private void run(SecretsManagerClient sm, int thread) {
        String name = "export/" + thread + "/" + UUID.randomUUID();
        String first = "export-plaintext-" + UUID.randomUUID();
        plaintexts.add(first);
        try {
            sm.createSecret(r -> r.name(name).secretString(first));
            succeeded.incrementAndGet();
            for (int i = 0; !stop.get(); i++) {
                if (i % 10 == 0) {
                    String value = "export-plaintext-" + UUID.randomUUID();
                    plaintexts.add(value);
                    sm.putSecretValue(r -> r.secretId(name).secretString(value));
                } else if (i % 10 == 5) {
                    sm.describeSecret(r -> r.secretId(name));
                } else {
                    sm.getSecretValue(r -> r.secretId(name));
                }
                succeeded.incrementAndGet();
            }
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    @Override
    public void close() {
        stop.set(true);
        try {
            for (Thread t : threads) t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every stored event id, in sequence order. */
    static Set<String> eventIds(Connection db) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        for (AuditRow r : StoredAuditEvents.all(db)) ids.add(r.eventId());
        return ids;
    }

    static Connection sqlite(TestServer server) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("coffer.db"));
    }

    static Set<String> eventIds(TestServer server) throws SQLException {
        try (Connection db = sqlite(server)) {
            return eventIds(db);
        }
    }

    /** A gauge's value for a sink from the node's /metrics, NaN if absent. */
    static double metric(TestServer server, String name, String sink) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*sink=\"" + sink + "\"[^}]*\\} (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** Polls until {@code done} or the timeout; returns whether it became true. */
    static boolean await(long timeoutMillis, BooleanSupplier done) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (done.getAsBoolean()) return true;
            Thread.sleep(100);
        }
        return done.getAsBoolean();
    }
}
