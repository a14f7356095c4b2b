package dev.coffer.server.testkit;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Real AWS SDK v2 clients pointed at a test server, for any credentials: the administrator's,
 * a user's access key, or a role session's temporary credentials. Only the endpoint differs
 * from what an application would write.
 */
public final class Clients {
    private Clients() {}

    public static AwsCredentialsProvider of(AwsCredentials credentials) {
        return StaticCredentialsProvider.create(credentials);
    }

    /** The temporary credentials STS handed out, as the SDK takes them. */
    public static AwsCredentialsProvider of(Credentials session) {
        return StaticCredentialsProvider.create(AwsSessionCredentials.create(session.accessKeyId(),
                session.secretAccessKey(), session.sessionToken()));
    }

    public static SecretsManagerClient secretsManager(TestServer server, AwsCredentialsProvider credentials) {
        return SecretsManagerClient.builder().endpointOverride(server.endpoint()).region(Region.of(TestServer.REGION))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)).build();
    }

    public static IamClient iam(TestServer server, AwsCredentialsProvider credentials) {
        return IamClient.builder().endpointOverride(server.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static StsClient sts(TestServer server, AwsCredentialsProvider credentials) {
        return StsClient.builder().endpointOverride(server.endpoint()).region(Region.of(TestServer.REGION))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static OrganizationsClient organizations(TestServer server, AwsCredentialsProvider credentials) {
        return OrganizationsClient.builder().endpointOverride(server.endpoint()).region(Region.of(TestServer.REGION))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** A new IAM user with one inline policy, and a Secrets Manager client signed with its own new access key. */
    public static SecretsManagerClient newUser(TestServer server, IamClient iam, String name, String policy) {
        iam.createUser(r -> r.userName(name));
        iam.putUserPolicy(r -> r.userName(name).policyName("p").policyDocument(policy));
        AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();
        return secretsManager(server, of(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())));
    }
}
