package dev.coffer.server.audit.alerts;

import static dev.coffer.server.audit.alerts.AlertScenario.explanation;
import static dev.coffer.server.audit.alerts.AlertScenario.hour;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.testkit.PostgresDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine on PostgreSQL: its cursor and baselines in the shared database carry over a restart, and a batch that
 * raises alerts appends them to the one chain (taking the chain head before it reads, as every appender there must).
 */
class AlertsPostgresTest {

    @Test
    void baselinesLearnedBeforeARestartJudgeTheTrafficAfterIt() {
        try (PostgresDatabase database = PostgresDatabase.create("coffer_alerts");
             AlertScenario s = AlertScenario.start(database.storageUrl())) {
            s.steadyHours(0, 26);
            s.restart();
            s.at(hour(26, 10));
            s.app.getSecretValue(b -> b.secretId("prod/payments"));
            for (int i = 0; i < 12; i++) {
                s.at(hour(26, 20 + i));
                s.app.getSecretValue(b -> b.secretId("prod/db"));
            }
            s.at(hour(26, 40));
            s.markerAndWait();

            assertThat(s.alerts("first-secret-read")).extracting(AlertScenario::explanation)
                    .containsExactly(s.appArn + " read the secret prod/payments for the first time.");
            List<JsonNode> spikes = s.alerts("secret-read-spike");
            assertThat(spikes).hasSize(1);
            assertThat(explanation(spikes.getFirst())).isEqualTo("The secret prod/db was read 10 times in the hour from "
                    + "02:00 UTC (the last read by " + s.appArn + "); its usual hourly rate is 3 ± 0.");
            assertThat(s.alerts()).as("two refusals, a first read, a spike of the secret and of the principal").hasSize(5);
            assertThat(s.verifyChain().findings()).as("coffer audit verify over a trail with alerts").isEmpty();
        }
    }
}
