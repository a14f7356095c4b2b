package dev.coffer.server.audit.export;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.coffer.server.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The webhook sink under load with its receiver down for a minute: API calls keep succeeding, the lag gauges show
 * the sink falling behind, and once the receiver is back every event in the audit table reaches it (duplicates
 * allowed, found by eventID), every batch correctly signed, no secret value and not the signing key in any byte.
 */
class WebhookExportTest {
    @TempDir
    Path scratch;

    @Test
    void aReceiverDownForAMinuteUnderLoad_getsEveryEventWhenBack_andCallsKeepSucceeding() throws Exception {
        String key = "webhook-hmac-key-" + UUID.randomUUID();
        Path keyFile = Files.writeString(scratch.resolve("webhook.key"), key + "\n");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try (WebhookReceiver receiver = WebhookReceiver.start(key.getBytes(StandardCharsets.UTF_8));
             TestServer server = TestServer.start(c -> c.withExports(new ExportSettings(null, null,
                     new WebhookExport(receiver.url(), keyFile, null, false, Duration.ofSeconds(5)))
                     .withPacing(200, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(2))))) {
            ExportTraffic traffic = new ExportTraffic(List.of(server.secretsManager(), server.secretsManager()));
            try {
                assertThat(ExportTraffic.await(30_000, () -> receiver.received.get() > 50)).as("deliveries while up").isTrue();

                receiver.stop();
                int callsBefore = traffic.succeeded.get();
                Thread.sleep(30_000);
                double behind = ExportTraffic.metric(server, "coffer_audit_export_lag_events", "webhook");
                double secondsBehind = ExportTraffic.metric(server, "coffer_audit_export_lag_seconds", "webhook");
                Thread.sleep(30_000);
                int callsWhileDown = traffic.succeeded.get() - callsBefore;
                assertThat(behind).as("events behind while the receiver is down").isGreaterThan(100);
                assertThat(secondsBehind).as("seconds behind while the receiver is down").isGreaterThan(10);
                assertThat(callsWhileDown).as("API calls kept succeeding").isGreaterThan(100);

                receiver.start();
                Thread.sleep(3_000); // still under load when it comes back
            } finally {
                traffic.close();
            }
            assertThat(traffic.failures).as("no API call failed").isEmpty();

            Set<String> all = ExportTraffic.eventIds(server);
            assertThat(ExportTraffic.await(60_000, () -> receiver.eventIds.containsAll(all)))
                    .as("every event arrives once the receiver is back").isTrue();
            Set<String> missing = new HashSet<>(all);
            missing.removeAll(receiver.eventIds);
            assertThat(missing).isEmpty();
            assertThat(receiver.received.get()).as("at least once").isGreaterThanOrEqualTo(all.size());
            assertThat(receiver.badSignatures.get()).isZero();
            assertThat(receiver.malformed.get()).isZero();
            assertThat(ExportTraffic.await(10_000, () -> lag(server) == 0.0)).as("caught up: lag 0").isTrue();

            String exported = new String(receiver.allBytes(), StandardCharsets.UTF_8);
            assertThat(traffic.plaintexts).hasSizeGreaterThan(2);
            for (String plaintext : traffic.plaintexts) assertThat(exported).doesNotContain(plaintext);
            assertThat(exported).doesNotContain(key);
            for (ILoggingEvent e : logs.list) {
                assertThat(e.getFormattedMessage()).doesNotContain(key).doesNotContain(receiver.url().getPath());
            }
            assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("audit export to webhook")
                    && e.getFormattedMessage().contains("failed"));
        } finally {
            root.detachAppender(logs);
        }
    }

    private static double lag(TestServer server) {
        try {
            return ExportTraffic.metric(server, "coffer_audit_export_lag_events", "webhook");
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
