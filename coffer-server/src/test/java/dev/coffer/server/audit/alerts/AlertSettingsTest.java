package dev.coffer.server.audit.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertSettingsTest {
    @TempDir
    Path dir;

    @Test
    void withoutAFileTheDefaultsApply() {
        AlertSettings s = AlertSettings.load(dir.resolve("alerts.properties"));
        assertThat(s).isEqualTo(AlertSettings.defaults());
        assertThat(s.learningPeriod()).isEqualTo(Duration.ofDays(7));
        assertThat(s.expiryReminderDays()).containsExactly(1, 7, 30);
    }

    @Test
    void aFileSetsWhatItNamesAndKeepsTheRest() throws Exception {
        Path file = Files.writeString(dir.resolve("alerts.properties"),
                "learning-period=P14D\nprobing.denials=3\nhygiene.expiry-reminder-days=14, 2\n");
        AlertSettings s = AlertSettings.load(file);
        assertThat(s.learningPeriod()).isEqualTo(Duration.ofDays(14));
        assertThat(s.probingDenials()).isEqualTo(3);
        assertThat(s.expiryReminderDays()).isEqualTo(List.of(2, 14));
        assertThat(s.spikeSigma()).isEqualTo(AlertSettings.defaults().spikeSigma());
    }

    @Test
    void aBadSettingIsRefusedNamingTheFileAndTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("alerts.properties"), "probing.window=five minutes\n");
        assertThatThrownBy(() -> AlertSettings.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": the alert setting probing.window must be an ISO 8601 duration such as PT5M or P7D");
        Files.writeString(file, "spike.sigmaa=3\n");
        assertThatThrownBy(() -> AlertSettings.load(file)).hasMessageContaining("unknown alert setting 'spike.sigmaa'");
        Files.writeString(file, "spike.min-reads=0\n");
        assertThatThrownBy(() -> AlertSettings.load(file)).hasMessageContaining("spike.min-reads must be a whole number of at least 1");
    }
}
