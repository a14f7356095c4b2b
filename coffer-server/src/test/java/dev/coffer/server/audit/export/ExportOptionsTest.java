package dev.coffer.server.audit.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The export options as an operator writes them: what they mean, and clear refusals of what cannot work. */
class ExportOptionsTest {

    @Test
    void fileOptions_parseWithDefaults() {
        FileExport plain = FileExport.parse("/var/log/coffer");
        assertThat(plain.directory()).isEqualTo(Path.of("/var/log/coffer"));
        assertThat(plain.rotateBytes()).isEqualTo(100L * 1024 * 1024);
        assertThat(plain.rotateAfter()).isEqualTo(Duration.ofHours(1));
        assertThat(plain.keepFiles()).isZero();
        assertThat(plain.keepFor()).isEqualTo(Duration.ofDays(90));

        FileExport tuned = FileExport.parse("/x,rotate-mb=0.5,rotate-minutes=15,keep-files=48,keep-days=0");
        assertThat(tuned.rotateBytes()).isEqualTo(512 * 1024);
        assertThat(tuned.rotateAfter()).isEqualTo(Duration.ofMinutes(15));
        assertThat(tuned.keepFiles()).isEqualTo(48);
        assertThat(tuned.keepFor()).isZero();
    }

    @Test
    void fileOptions_refuseUnknownOrBadValues() {
        assertThatThrownBy(() -> FileExport.parse("/x,rotate-gb=1")).hasMessageContaining("unknown option rotate-gb");
        assertThatThrownBy(() -> FileExport.parse("/x,keep-files=-1")).hasMessageContaining("keep-files");
        assertThatThrownBy(() -> FileExport.parse("/x,rotate-mb=0")).hasMessageContaining("rotate-mb must be positive");
        assertThatThrownBy(() -> FileExport.parse("/x,rotate-minutes")).hasMessageContaining("option=value");
    }

    @Test
    void syslogUrls() {
        assertThat(SyslogExport.parse("tcp://logs.example:601", null)).isEqualTo(new SyslogExport("logs.example", 601, false, null));
        assertThat(SyslogExport.parse("tcp+tls://logs.example", Path.of("ca.pem")))
                .isEqualTo(new SyslogExport("logs.example", 6514, true, Path.of("ca.pem")));
        assertThat(SyslogExport.parse("tcp://logs.example", null).port()).isEqualTo(514);
        assertThatThrownBy(() -> SyslogExport.parse("udp://logs.example:514", null)).hasMessageContaining("tcp+tls://HOST:PORT");
        assertThatThrownBy(() -> SyslogExport.parse("tcp://logs.example:514", Path.of("ca.pem")))
                .hasMessageContaining("only applies to tcp+tls");
    }

    @Test
    void webhook_plainHttpOnlyToLoopbackOrWhenAllowed_noCredentialsInTheUrl() {
        assertThat(WebhookExport.parse("https://siem.example/hook", null, null, false).url().getHost()).isEqualTo("siem.example");
        assertThat(WebhookExport.parse("http://127.0.0.1:9000/hook", null, null, false)).isNotNull();
        assertThat(WebhookExport.parse("http://localhost:9000/hook", null, null, false)).isNotNull();
        assertThat(WebhookExport.parse("http://[::1]:9000/hook", null, null, false)).isNotNull();
        assertThatThrownBy(() -> WebhookExport.parse("http://siem.example/hook", null, null, false))
                .hasMessageContaining("--audit-export-webhook-insecure-http");
        assertThat(WebhookExport.parse("http://siem.example/hook", null, null, true)).isNotNull();
        assertThatThrownBy(() -> WebhookExport.parse("https://user:pw@siem.example/hook", null, null, false))
                .hasMessageContaining("no credentials in the URL").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> WebhookExport.parse("ftp://siem.example/hook", null, null, false)).hasMessageContaining("https://");
    }

    @Test
    void webhook_logsShowNeitherPathNorQuery() {
        WebhookExport hook = WebhookExport.parse("https://hooks.example:8443/T0KEN/abc?sig=xyz", null, null, false);
        assertThat(hook.toString()).isEqualTo("webhook https://hooks.example:8443/…").doesNotContain("T0KEN").doesNotContain("xyz");
    }

    @Test
    void backoff_growsWithJitterUpToItsCap_andResets() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        long first = backoff.nextPauseMillis();
        assertThat(first).isBetween(50L, 100L);
        long second = backoff.nextPauseMillis();
        assertThat(second).isBetween(100L, 200L);
        assertThat(backoff.nextPauseMillis()).isBetween(200L, 400L);
        assertThat(backoff.nextPauseMillis()).isBetween(400L, 800L);
        for (int i = 0; i < 40; i++) assertThat(backoff.nextPauseMillis()).isBetween(500L, 1000L);
        backoff.reset();
        assertThat(backoff.nextPauseMillis()).isBetween(50L, 100L);
    }
}
