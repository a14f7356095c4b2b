package dev.coffer.server.audit.alerts;

import static dev.coffer.server.audit.alerts.AlertScenario.explanation;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * The hygiene report's expiry reminders and overdue rotations as alerts: the report runs as a job (every half second
 * here), and each finding is raised once per secret and threshold, however often the job runs.
 */
class HygieneAlertsTest {
    private AlertScenario s;

    @BeforeEach
    void start() {
        s = AlertScenario.start(null);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void anExpiringSecretIsRaisedOncePerReminderThresholdAndOnceWhenItHasExpired() throws Exception {
        LocalDate today = LocalDate.ofInstant(s.clock.instant(), ZoneOffset.UTC);
        LocalDate expiry = today.plusDays(10);
        s.createSecret("prod/cert", tag("expires", expiry.toString()), tag("owner", "web"), tag("classification", "High"));
        s.createSecret("prod/hand-rotated", tag("rotation-days", "5"), tag("owner", "web"));

        JsonNode first = s.awaitAlert("secret-expiring", a -> true);
        assertThat(explanation(first)).isEqualTo("The secret prod/cert expires on " + expiry
                + " (in 10 days) and is not rotated automatically: replace it before then.");
        assertThat(first.path("eventName").asText()).isEqualTo("AlertSecretExpiring");
        assertThat(first.path("serviceEventDetails").path("baseline").path("reminderDays").asInt()).isEqualTo(30);
        assertThat(first.path("serviceEventDetails").path("observed").path("daysLeft").asInt()).isEqualTo(10);
        Thread.sleep(1_500); // three more runs of the job
        assertThat(s.alerts("secret-expiring")).as("once per threshold, not per run").hasSize(1);

        s.clock.advance(Duration.ofDays(4)); // 6 days left: within the 7-day reminder
        JsonNode second = s.awaitAlert("secret-expiring", a -> explanation(a).contains("(in 6 days)"));
        assertThat(second.path("serviceEventDetails").path("baseline").path("reminderDays").asInt()).isEqualTo(7);

        s.clock.advance(Duration.ofDays(6)); // the expiry day; and the hand-rotated secret's value is 10 days old
        JsonNode expired = s.awaitAlert("secret-expired", a -> true);
        assertThat(explanation(expired)).isEqualTo("The secret prod/cert expired on " + expiry
                + " and is not rotated automatically: replace it now.");
        JsonNode overdue = s.awaitAlert("rotation-overdue", a -> true);
        assertThat(explanation(overdue)).startsWith("The current value of the secret prod/hand-rotated was made 10 days ago")
                .endsWith("but its rotation-days tag asks for every 5 days.");
        Thread.sleep(1_500);
        List<JsonNode> all = s.alerts();
        assertThat(all).as("%s", all).hasSize(4);
        assertThat(s.metrics()).contains("coffer_alerts_total{rule=\"secret-expiring\"} 2.0")
                .contains("coffer_alerts_total{rule=\"secret-expired\"} 1.0")
                .contains("coffer_alerts_total{rule=\"rotation-overdue\"} 1.0");
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
