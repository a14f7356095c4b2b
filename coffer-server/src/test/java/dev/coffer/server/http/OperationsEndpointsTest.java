package dev.coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.server.testkit.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** What an operator scrapes and probes: /health/live, /health/ready, /metrics, and the answer for any other path. */
class OperationsEndpointsTest {
    private static TestServer server;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.endpoint().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void health_saysLiveAndReady_withEachCheck() throws Exception {
        HttpResponse<String> live = get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"live\"}");
        for (String path : new String[] {"/health/ready", "/health"}) {
            HttpResponse<String> ready = get(path);
            assertThat(ready.statusCode()).as(path).isEqualTo(200);
            // One node on SQLite runs the singleton jobs itself (once its first lease write committed).
            assertThat(ready.body()).as(path).startsWith("{\"status\":\"ok\",\"store\":\"ok\",\"keys\":\"loaded\","
                    + "\"singletonJobs\":");
        }
    }

    @Test
    void metrics_countRequestsByOperationAndOutcome_withLatencyHistograms() throws Exception {
        try (SecretsManagerClient sm = server.secretsManager()) {
            sm.createSecret(r -> r.name("prod/metrics/probe").secretString("fake-probe"));
            sm.getSecretValue(r -> r.secretId("prod/metrics/probe"));
            sm.getSecretValue(r -> r.secretId("prod/metrics/probe"));
            assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("prod/metrics/absent")))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("coffer_requests_seconds_count{operation=\"GetSecretValue\",outcome=\"success\"} 2")
                .contains("coffer_requests_seconds_count{operation=\"GetSecretValue\",outcome=\"ResourceNotFoundException\"} 1")
                .contains("coffer_requests_seconds_count{operation=\"CreateSecret\",outcome=\"success\"} 1")
                .contains("coffer_requests_seconds_bucket{operation=\"GetSecretValue\",outcome=\"success\",le=")
                .doesNotContain("fake-probe");
    }

    @Test
    void anyOtherPath_isAnAwsShaped404() throws Exception {
        HttpResponse<String> other = get("/admin");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).contains("\"__type\":\"UnknownOperationException\"");
        assertThat(other.headers().firstValue("x-amzn-RequestId")).isPresent();
    }
}
