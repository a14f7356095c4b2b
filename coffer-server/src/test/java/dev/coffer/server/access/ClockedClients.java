package dev.coffer.server.access;

import dev.coffer.server.testkit.TestServer;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.auth.scheme.IamAuthSchemeProvider;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.auth.scheme.SecretsManagerAuthSchemeProvider;

/**
 * Real SDK clients whose signatures carry the time of a clock the test moves, as a client whose
 * clock agrees with the server's would: the server checks a signature's time against its own clock
 * (15 minutes either way), so a test that moves the server 90 days ahead signs 90 days ahead too.
 */
final class ClockedClients {
    private ClockedClients() {}

    static SecretsManagerClient secretsManager(TestServer server, AwsCredentials credentials, String region, Clock clock) {
        SecretsManagerAuthSchemeProvider defaults = SecretsManagerAuthSchemeProvider.defaultProvider();
        return SecretsManagerClient.builder().endpointOverride(server.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .authSchemeProvider(params -> defaults.resolveAuthScheme(params).stream()
                        .map(o -> o.toBuilder().putSignerProperty(HttpSigner.SIGNING_CLOCK, clock).build()).toList())
                .build();
    }

    static IamClient iam(TestServer server, AwsCredentials credentials, Clock clock) {
        IamAuthSchemeProvider defaults = IamAuthSchemeProvider.defaultProvider();
        return IamClient.builder().endpointOverride(server.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .authSchemeProvider(params -> defaults.resolveAuthScheme(params).stream()
                        .map(o -> o.toBuilder().putSignerProperty(HttpSigner.SIGNING_CLOCK, clock).build()).toList())
                .build();
    }
}
