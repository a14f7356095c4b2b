package dev.coffer.server.audit.alerts;

import static dev.coffer.server.audit.alerts.AlertScenario.explanation;
import static dev.coffer.server.audit.alerts.AlertScenario.hour;
import static dev.coffer.server.audit.alerts.AlertScenario.principal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.audit.ChainVerifier;
import dev.coffer.server.testkit.AwsCli;
import dev.coffer.server.testkit.RawClient;
import dev.coffer.server.testkit.TcpProxy;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The alerts on the audit trail end to end: days of traffic through real SDK clients against a real server whose clock
 * the test moves (learning period 24 h), then traffic built for one rule; the alerts read back with LookupEvents (and the
 * AWS CLI), each with its explanation, and counted on /metrics. After learning, steady traffic raises nothing.
 */
class TrailAlertsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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
    void steadyTrafficAfterTheLearningPeriodRaisesNoAlert() {
        s.steadyHours(0, 72); // two days past learning, every hour of the day
        s.at(hour(72, 0));
        s.markerAndWait();
        List<JsonNode> alerts = s.alerts();
        assertThat(alerts).as("only the refusals provoked as a marker: %s", alerts).hasSize(2)
                .allSatisfy(a -> assertThat(a.path("serviceEventDetails").path("rule").asText()).isEqualTo("repeated-access-denied"));
    }

    @Test
    void aReadSpikeIsRaisedOnceInItsHourForThePrincipalAndForTheSecret(@TempDir Path scratch) {
        s.steadyHours(0, 48);
        for (int i = 0; i < 40; i++) {
            s.at(hour(48, i));
            s.app.getSecretValue(b -> b.secretId("prod/db"));
        }
        s.at(hour(48, 45));
        s.markerAndWait();

        List<JsonNode> byPrincipal = s.alerts("principal-read-spike");
        assertThat(byPrincipal).hasSize(1);
        assertThat(explanation(byPrincipal.getFirst())).isEqualTo(s.appArn + " read secret values 10 times in the hour from "
                + "00:00 UTC (the last read: prod/db); its usual hourly rate is 3 ± 0.");
        List<JsonNode> bySecret = s.alerts("secret-read-spike");
        assertThat(bySecret).hasSize(1);
        JsonNode secretSpike = bySecret.getFirst();
        assertThat(explanation(secretSpike)).isEqualTo("The secret prod/db was read 10 times in the hour from 00:00 UTC "
                + "(the last read by " + s.appArn + "); its usual hourly rate is 3 ± 0.");
        JsonNode details = secretSpike.path("serviceEventDetails");
        assertThat(details.path("baseline").path("hourlyMean").asDouble()).isEqualTo(3.0);
        assertThat(details.path("baseline").path("threshold").asDouble()).isEqualTo(10.0);
        assertThat(details.path("observed").path("reads").asLong()).isEqualTo(10);
        assertThat(details.path("secretArn").asText()).contains(":secret:prod/db-");
        assertThat(secretSpike.path("eventType").asText()).isEqualTo("AwsServiceEvent");
        assertThat(secretSpike.path("eventSource").asText()).isEqualTo("coffer.amazonaws.com");
        assertThat(secretSpike.path("eventName").asText()).isEqualTo("AlertReadSpike");
        assertThat(secretSpike.path("recipientAccountId").asText()).isEqualTo(s.server.accountId());
        assertThat(secretSpike.path("eventTime").asText()).isEqualTo(s.start.plus(hour(48, 9)).toString());

        assertThat(s.metrics()).contains("coffer_alerts_total{rule=\"principal-read-spike\"} 1.0")
                .contains("coffer_alerts_total{rule=\"secret-read-spike\"} 1.0")
                .contains("coffer_alerts_total{rule=\"repeated-access-denied\"} 2.0")
                .contains("coffer_alerts_total{rule=\"new-source-network\"} 0.0");

        // With the clock at the real present, the AWS CLI (signing with the real time) finds them too.
        s.clock.advance(Duration.between(s.clock.instant(), Instant.now()));
        AwsCli aws = AwsCli.against(s.server, scratch);
        JsonNode byName = AwsCli.ok(aws.run("cloudtrail", "lookup-events", "--lookup-attributes",
                "AttributeKey=EventName,AttributeValue=AlertReadSpike"));
        assertThat(byName.path("Events")).hasSize(2);
        List<String> rules = new ArrayList<>();
        for (JsonNode e : byName.path("Events")) rules.add(record(e).path("serviceEventDetails").path("rule").asText());
        assertThat(rules).containsExactlyInAnyOrder("principal-read-spike", "secret-read-spike");
        JsonNode bySecretName = AwsCli.ok(aws.run("cloudtrail", "lookup-events", "--lookup-attributes",
                "AttributeKey=ResourceName,AttributeValue=prod/db", "--max-results", "50", "--no-paginate"));
        assertThat(bySecretName.path("Events").findValuesAsText("EventName")).contains("AlertReadSpike");
        for (String value : s.values) assertThat(byName.toString()).doesNotContain(value);
    }

    @Test
    void aCallFromANetworkThePrincipalNeverUsedIsRaisedOncePerNetwork() throws Exception {
        s.steadyHours(0, 48);
        String server = s.server.endpoint().getHost() + ":" + s.server.endpoint().getPort();
        List<String> from = List.of("127.0.1.9", "127.0.1.10", "127.0.0.2");
        for (int i = 0; i < from.size(); i++) {
            s.at(hour(48, 5 + i));
            try (TcpProxy proxy = new TcpProxy(server, InetAddress.getByName(from.get(i)));
                 SecretsManagerClient elsewhere = s.secretsManager(URI.create("http://" + proxy.hostPort()), s.appKey)) {
                elsewhere.getSecretValue(b -> b.secretId("prod/db"));
            }
        }
        s.at(hour(48, 20));
        s.markerAndWait();

        List<JsonNode> alerts = s.alerts("new-source-network");
        assertThat(alerts).as("127.0.1.10 is in the same /24 as 127.0.1.9, 127.0.0.2 in that of 127.0.0.1").hasSize(1);
        JsonNode alert = alerts.getFirst();
        assertThat(explanation(alert)).isEqualTo(s.appArn + " called GetSecretValue from 127.0.1.9, in the network "
                + "127.0.1.0/24 it had never used before.");
        assertThat(alert.path("eventName").asText()).isEqualTo("AlertNewSourceNetwork");
        assertThat(alert.path("serviceEventDetails").path("observed").path("network").asText()).isEqualTo("127.0.1.0/24");
        assertThat(otherThanMarkers()).containsExactly(alert);
    }

    @Test
    void activityAtAnHourThePrincipalWasNeverActiveInIsRaisedOnce() {
        SecretsManagerClient batch = s.newUser("batch");
        String batchArn = s.arn("batch");
        for (int day = 0; day < 2; day++) {
            for (int h : new int[] {9, 12, 15}) {
                s.at(hour(day * 24 + h, 30));
                batch.getSecretValue(b -> b.secretId("prod/db"));
            }
        }
        s.at(hour(51, 0)); // day 2, 03:00
        batch.getSecretValue(b -> b.secretId("prod/db"));
        s.at(hour(51, 20));
        batch.getSecretValue(b -> b.secretId("prod/db"));
        s.at(hour(51, 30));
        s.markerAndWait();

        List<JsonNode> aboutBatch = s.alerts().stream().filter(a -> batchArn.equals(principal(a))).toList();
        assertThat(aboutBatch).hasSize(1);
        JsonNode alert = aboutBatch.getFirst();
        assertThat(alert.path("serviceEventDetails").path("rule").asText()).isEqualTo("unusual-hour");
        assertThat(explanation(alert)).isEqualTo(batchArn + " called GetSecretValue at 03:00:00 UTC, an hour it had never "
                + "been active in; its active hours so far were 09:00–09:59, 12:00–12:59 and 15:00–15:59 UTC.");
        batch.close();
    }

    @Test
    void aPrincipalsFirstReadOfASecretIsRaisedAfterARestartButNotWhileThePrincipalIsLearning() {
        s.steadyHours(0, 48);
        s.restart(); // the cursor and the baselines are in the store
        s.at(hour(48, 20));
        s.app.getSecretValue(b -> b.secretId("prod/payments"));
        s.at(hour(48, 21));
        s.app.getSecretValue(b -> b.secretId("prod/payments"));
        SecretsManagerClient newcomer = s.newUser("newcomer");
        newcomer.getSecretValue(b -> b.secretId("prod/db"));
        newcomer.close();
        s.at(hour(48, 30));
        s.markerAndWait();

        List<JsonNode> alerts = otherThanMarkers();
        assertThat(alerts).as("one first read, nothing for the restart or the new principal: %s", alerts).hasSize(1);
        JsonNode alert = alerts.getFirst();
        assertThat(alert.path("serviceEventDetails").path("rule").asText()).isEqualTo("first-secret-read");
        assertThat(alert.path("eventName").asText()).isEqualTo("AlertFirstSecretRead");
        assertThat(explanation(alert)).isEqualTo(s.appArn + " read the secret prod/payments for the first time.");
        assertThat(alert.path("resources").findValuesAsText("type")).containsExactly("AWS::SecretsManager::Secret");
    }

    @Test
    void repeatedRefusalsAreRaisedOncePerWindowForThePrincipalAndForTheSourceAddress() {
        for (int i = 0; i < 5; i++) {
            s.at(hour(0, 30 + i));
            assertThat(s.deniedRead(s.app, "prod/other")).isFalse();
        }
        for (int i = 1; i <= 4; i++) { // still within the 5 minutes from 00:30: the same window
            s.at(hour(0, 34).plusSeconds(10 * i));
            assertThat(s.deniedRead(s.app, "prod/other")).isFalse();
        }
        for (int i = 0; i < 5; i++) {
            s.at(hour(1, i));
            assertThat(s.deniedRead(s.app, "prod/other")).isFalse();
        }
        // Five calls with a key Coffer does not know: refused before any principal is known, counted by address.
        RawClient stranger = new RawClient(s.server.endpoint(), AwsBasicCredentials.create("AKIAEXAMPLEUNKNOWN00", "not-a-key"));
        for (int i = 0; i < 5; i++) {
            s.at(hour(2, i));
            RawClient.Response r = stranger.request("GetSecretValue").body("{\"SecretId\":\"prod/db\"}")
                    .signedAt(s.clock.instant()).send();
            assertThat(r.ok()).isFalse();
        }
        JsonNode last = s.awaitAlert("repeated-access-denied", a -> explanation(a).contains("02:04:00"));

        List<JsonNode> alerts = s.alerts("repeated-access-denied");
        assertThat(alerts).as("%s", alerts).hasSize(5);
        List<String> sentences = alerts.stream().map(AlertScenario::explanation).toList();
        assertThat(sentences).contains(
                s.appArn + " was refused 5 times between 00:30:00 UTC and 00:34:00 UTC (the last GetSecretValue from "
                        + "127.0.0.1, AccessDeniedException); the probing threshold is 5 refusals within 5 minutes.",
                "Calls from 127.0.0.1 were refused 5 times between 00:30:00 UTC and 00:34:00 UTC (the last GetSecretValue by "
                        + s.appArn + ", AccessDeniedException); the probing threshold is 5 refusals within 5 minutes.",
                s.appArn + " was refused 5 times between 01:00:00 UTC and 01:04:00 UTC (the last GetSecretValue from "
                        + "127.0.0.1, AccessDeniedException); the probing threshold is 5 refusals within 5 minutes.");
        assertThat(explanation(last)).isEqualTo("Calls from 127.0.0.1 were refused 5 times between 02:00:00 UTC and 02:04:00 "
                + "UTC (the last GetSecretValue by an unidentified caller, UnrecognizedClientException); the probing threshold "
                + "is 5 refusals within 5 minutes.");
        assertThat(s.metrics()).contains("coffer_alerts_total{rule=\"repeated-access-denied\"} 5.0");

        ChainVerifier.Report chain = s.verifyChain();
        assertThat(chain.findings()).as("alerts are links of the one chain like any event").isEmpty();
        assertThat(chain.eventsChecked()).isGreaterThan(5 + 14 + 5);
    }

    /** Every alert but the marker's refusals. */
    private List<JsonNode> otherThanMarkers() {
        return s.alerts().stream().filter(a -> !"repeated-access-denied".equals(a.path("serviceEventDetails").path("rule").asText()))
                .toList();
    }

    private static JsonNode record(JsonNode lookupEvent) {
        try {
            return JSON.readTree(lookupEvent.path("CloudTrailEvent").asText());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
