package dev.coffer.server.audit.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.testkit.PostgresDatabase;
import dev.coffer.server.testkit.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database, both configured to export to one webhook receiver: only the node running
 * the singleton work exports; when it is closed under load, the other takes the lease and continues from the cursor
 * in the database, and the receiver ends with every event in the audit table — no gap. Skipped, saying so, without
 * a PostgreSQL server, except under CI.
 */
class ExportClusterTest {

    @Test
    void whenTheExportingNodeStops_theOtherContinuesFromTheCursor_noGap() throws Exception {
        try (PostgresDatabase database = PostgresDatabase.create("coffer_export");
             WebhookReceiver receiver = WebhookReceiver.start(null)) {
            Path dir = Files.createTempDirectory("coffer-pg-export-");
            ExportSettings exports = new ExportSettings(null, null,
                    new WebhookExport(receiver.url(), null, null, false, Duration.ofSeconds(5)))
                    .withPacing(100, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(1));
            TestServer first = node(dir, "node-a", database, exports);
            TestServer second = null;
            boolean firstRunning = true;
            try {
                assertThat(ExportTraffic.await(15_000, () -> runsSingletons(first))).isTrue();
                second = node(dir, "node-b", database, exports);
                TestServer b = second;
                assertThat(runsSingletons(b)).isFalse();

                ExportTraffic traffic = new ExportTraffic(List.of(first.secretsManager(), b.secretsManager()));
                long deliveredByFirst;
                ExportTraffic afterStop;
                try {
                    assertThat(ExportTraffic.await(30_000, () -> receiver.received.get() > 100)).isTrue();
                } finally {
                    traffic.close();
                }
                assertThat(traffic.failures).isEmpty();
                first.stop(); // gives the lease up; node b takes it at its next renewal
                firstRunning = false;
                deliveredByFirst = receiver.received.get();
                afterStop = new ExportTraffic(List.of(b.secretsManager(), b.secretsManager()));
                try {
                    assertThat(ExportTraffic.await(20_000, () -> runsSingletons(b))).as("node b runs the singleton work").isTrue();
                    Thread.sleep(3_000);
                } finally {
                    afterStop.close();
                }
                assertThat(afterStop.failures).isEmpty();

                Set<String> all;
                try (Connection db = database.connect()) {
                    all = ExportTraffic.eventIds(db);
                }
                assertThat(ExportTraffic.await(30_000, () -> receiver.eventIds.containsAll(all)))
                        .as("every event, before and after the handover").isTrue();
                Set<String> missing = new HashSet<>(all);
                missing.removeAll(receiver.eventIds);
                assertThat(missing).isEmpty();
                assertThat(receiver.received.get()).as("node b delivered what came after").isGreaterThan(deliveredByFirst);
                assertThat(ExportTraffic.metric(b, "coffer_audit_export_lag_events", "webhook")).isZero();
            } finally {
                if (second != null) second.stop();
                if (firstRunning) first.stop();
                TestServer.deleteRecursively(dir);
            }
        }
    }

    private static TestServer node(Path dir, String name, PostgresDatabase database, ExportSettings exports) {
        return TestServer.startOn(dir.resolve(name), c -> c.withStorage(database.storageUrl(), null, dir.resolve("root.key"))
                .withExports(exports), false);
    }

    private static boolean runsSingletons(TestServer node) {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.endpoint() + "/health/ready"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.contains("running here");
        } catch (Exception e) {
            return false;
        }
    }
}
