package dev.coffer.server.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.testkit.RawClient;
import dev.coffer.server.testkit.TestServer;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Tag;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A real server with IAM, STS and Secrets Manager clients as its bootstrap administrator, and raw
 * calls to the access service ({@code CofferAccess_20261201.*}, signed for {@code coffer}).
 */
final class AccessFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final TestServer server;
    final String account;
    final IamClient iam;
    final StsClient sts;
    final SecretsManagerClient secrets;
    private final RawClient raw;

    AccessFixture() {
        server = TestServer.start();
        account = server.accountId();
        StaticCredentialsProvider admin = StaticCredentialsProvider.create(server.adminCredentials());
        iam = IamClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).credentialsProvider(admin)
                .httpClient(UrlConnectionHttpClient.create()).build();
        sts = StsClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).credentialsProvider(admin)
                .httpClient(UrlConnectionHttpClient.create()).build();
        secrets = server.secretsManager();
        raw = RawClient.of(server);
    }

    /** One call to the access service as the administrator. */
    RawClient.Response call(String operation, String body) {
        return raw.request(null).target(AccessService.TARGET_PREFIX + "." + operation).service(AccessService.SIGNING_NAME)
                .body(body).send();
    }

    /** One call that must succeed; its answer. */
    JsonNode ok(String operation, String body) {
        RawClient.Response r = call(operation, body);
        if (!r.ok()) throw new AssertionError(operation + " failed: " + r);
        return r.json();
    }

    JsonNode whoCan(String secretId, String action) {
        return ok("WhoCan", JSON.createObjectNode().put("SecretId", secretId).put("Action", action).toString());
    }

    JsonNode whatCan(String principalArn, String action) {
        return ok("WhatCan", JSON.createObjectNode().put("PrincipalArn", principalArn).put("Action", action).toString());
    }

    /** Creates a secret with a random value (never shown) and these tags; its ARN. */
    String createSecret(String name, Tag... tags) {
        return secrets.createSecret(b -> b.name(name).secretString(UUID.randomUUID().toString()).tags(tags)).arn();
    }

    /** A Secrets Manager client signing as someone else. */
    SecretsManagerClient secretsAs(AwsCredentials credentials) {
        return SecretsManagerClient.builder().endpointOverride(server.endpoint()).region(Region.of(TestServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)).build();
    }

    /** Credentials of a session of the role, assumed by the administrator. */
    AwsSessionCredentials assume(String roleArn, String sessionName) {
        var c = sts.assumeRole(b -> b.roleArn(roleArn).roleSessionName(sessionName)).credentials();
        return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    }

    String userArn(String name) {
        return "arn:aws:iam::" + account + ":user/" + name;
    }

    String roleArn(String name) {
        return "arn:aws:iam::" + account + ":role/" + name;
    }

    /** A trust policy that lets the account (so its administrator) assume the role. */
    String trustAccount() {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + account + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
    }

    @Override
    public void close() {
        iam.close();
        sts.close();
        secrets.close();
        server.close();
    }
}
