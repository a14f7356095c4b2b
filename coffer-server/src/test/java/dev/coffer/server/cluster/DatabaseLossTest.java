package dev.coffer.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.server.testkit.PostgresDatabase;
import dev.coffer.server.testkit.TcpProxy;
import dev.coffer.server.testkit.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * A node that loses its database (the network between them cut, through a relay the test controls) stops
 * being ready and answers API calls with a quick 503 that SDKs retry, rather than hanging; it stays live,
 * and when the database is reachable again it serves as before, without a restart.
 */
class DatabaseLossTest {
    private static final HttpClient http = HttpClient.newHttpClient();
    private PostgresDatabase database;
    private TcpProxy network;
    private Path dir;
    private TestServer node;

    @BeforeEach
    void start() throws Exception {
        database = PostgresDatabase.create("coffer_loss");
        network = new TcpProxy(PostgresDatabase.SERVER);
        dir = Files.createTempDirectory("coffer-loss-");
        node = TestServer.startOn(dir, c -> c.withStorage(database.storageUrl(network.hostPort()), null, null), true);
    }

    @AfterEach
    void stop() {
        if (node != null) node.close();
        if (network != null) network.close();
        if (database != null) database.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(node.endpoint().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A client that does not retry, to see each answer as it is. */
    private SecretsManagerClient oneShotClient() {
        return SecretsManagerClient.builder().endpointOverride(node.endpoint()).region(Region.of(TestServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(node.adminCredentials()))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @Test
    void losingTheDatabase_answers503Quickly_staysLive_andRecoversWithoutRestart() throws Exception {
        try (SecretsManagerClient sm = oneShotClient()) {
            sm.createSecret(r -> r.name("prod/orders/db").secretString("fake-orders-password"));
            assertThat(get("/health/ready").statusCode()).isEqualTo(200);

            network.cut();
            long started = System.nanoTime();
            assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("prod/orders/db")))
                    .isInstanceOfSatisfying(SecretsManagerException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
                        assertThat(e.awsErrorDetails().errorMessage())
                                .isEqualTo("The request has failed due to a temporary failure of the server.");
                    });
            // Not a speed claim: the bound only tells a quick refusal (the pool's 2 s connection timeout) from a hang.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            HttpResponse<String> ready = get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"status\":\"unavailable\"", "\"store\":\"unreachable\"");
            assertThat(get("/health/live").statusCode()).as("alive: no reason to restart it").isEqualTo(200);

            network.restore();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String value = null;
            while (value == null && System.nanoTime() < deadline) {
                try {
                    value = sm.getSecretValue(r -> r.secretId("prod/orders/db")).secretString();
                } catch (SecretsManagerException e) {
                    assertThat(e.statusCode()).as("only 503 while reconnecting").isEqualTo(503);
                    Thread.sleep(200);
                }
            }
            assertThat(value).as("served again, same node, no restart").isEqualTo("fake-orders-password");
            assertThat(get("/health/ready").statusCode()).isEqualTo(200);
            sm.putSecretValue(r -> r.secretId("prod/orders/db").secretString("fake-orders-password-2"));
            assertThat(sm.getSecretValue(r -> r.secretId("prod/orders/db")).secretString()).isEqualTo("fake-orders-password-2");
        }
    }
}
