package dev.coffer.server.audit.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.http.TlsMaterial;
import dev.coffer.server.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The syslog sink against an in-test receiver, over TCP and over TLS with a test certificate: every frame is
 * octet-counted and parses as RFC 5424 with the record as MSG, every event in the audit table arrives, and after the
 * receiver restarts the sink reconnects and nothing is missing. No secret value is in any byte sent.
 */
class SyslogExportTest {
    @TempDir
    Path scratch;

    @Test
    void overTcp_everyEventArrivesAsRfc5424_andAfterAReceiverRestart() throws Exception {
        try (SyslogReceiver receiver = SyslogReceiver.start(null, null)) {
            exportThroughRestart(receiver, SyslogExport.parse("tcp://127.0.0.1:" + receiver.port(), null));
        }
    }

    @Test
    void overTls_withATestCertificate_everyEventArrives_andAfterAReceiverRestart() throws Exception {
        Path cert = scratch.resolve("receiver.pem");
        KeyStore keys = TlsMaterial.selfSigned("127.0.0.1", cert, scratch.resolve("receiver.key"));
        try (SyslogReceiver receiver = SyslogReceiver.start(keys, TlsMaterial.KEYSTORE_PASSWORD)) {
            exportThroughRestart(receiver, SyslogExport.parse("tcp+tls://127.0.0.1:" + receiver.port(), cert));
        }
    }

    @Test
    void overTls_aReceiverWhoseCertificateIsNotTrusted_getsNothing() throws Exception {
        KeyStore keys = TlsMaterial.selfSigned("127.0.0.1", scratch.resolve("receiver.pem"), scratch.resolve("receiver.key"));
        Path otherCa = scratch.resolve("other.pem");
        TlsMaterial.selfSigned("127.0.0.1", otherCa, scratch.resolve("other.key"));
        try (SyslogReceiver receiver = SyslogReceiver.start(keys, TlsMaterial.KEYSTORE_PASSWORD);
             TestServer server = TestServer.start(c -> c.withExports(settings(
                     SyslogExport.parse("tcp+tls://127.0.0.1:" + receiver.port(), otherCa))))) {
            server.secretsManager().listSecrets(r -> {});
            assertThat(ExportTraffic.await(10_000, () -> receiver.accepted.get() >= 2)).as("it tried, twice").isTrue();
            assertThat(receiver.frames.get()).isZero();
            assertThat(ExportTraffic.metric(server, "coffer_audit_export_lag_events", "syslog")).isGreaterThan(0);
        }
    }

    private static ExportSettings settings(SyslogExport syslog) {
        return new ExportSettings(null, syslog, null)
                .withPacing(100, Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(500));
    }

    private static void exportThroughRestart(SyslogReceiver receiver, SyslogExport syslog) throws Exception {
        try (TestServer server = TestServer.start(c -> c.withExports(settings(syslog)))) {
            ExportTraffic traffic = new ExportTraffic(List.of(server.secretsManager()));
            try {
                assertThat(ExportTraffic.await(30_000, () -> receiver.eventIds.size() > 30)).isTrue();
                receiver.stop();
                Thread.sleep(2_000);
                receiver.start();
                assertThat(ExportTraffic.await(30_000, () -> receiver.accepted.get() >= 2)).as("reconnected").isTrue();
                Thread.sleep(1_000);
            } finally {
                traffic.close();
            }
            assertThat(traffic.failures).isEmpty();
            try {
                server.secretsManager().getSecretValue(r -> r.secretId("no-such-secret"));
            } catch (ResourceNotFoundException expected) {
                // a refused call is exported too, at severity notice
            }

            Set<String> all = ExportTraffic.eventIds(server);
            assertThat(ExportTraffic.await(30_000, () -> receiver.eventIds.containsAll(all))).as("every event arrived").isTrue();
            Set<String> missing = new HashSet<>(all);
            missing.removeAll(receiver.eventIds);
            assertThat(missing).isEmpty();
            assertThat(receiver.malformed.get()).as("frames that are not octet-counted RFC 5424").isZero();
            assertThat(receiver.frames.get()).isGreaterThanOrEqualTo(all.size());
            assertThat(receiver.sdIds).containsOnly("coffer@32473");
            // facility 13 (log audit): info for calls that succeeded, notice for the refused one
            assertThat(receiver.priorities).containsOnly(13 * 8 + 6, 13 * 8 + 5).contains(13 * 8 + 5);
            String sent = new String(receiver.allBytes(), StandardCharsets.UTF_8);
            for (String plaintext : traffic.plaintexts) assertThat(sent).doesNotContain(plaintext);
        }
    }
}
