package dev.coffer.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.crypto.SigV4Signer;
import dev.coffer.server.bootstrap.CofferConfig;
import dev.coffer.server.testkit.RawClient;
import dev.coffer.server.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * SigV4 verification end to end, against a real server: what the AWS SDK v2 signs is
 * accepted, and every request whose signature is missing, malformed, made with the wrong
 * key, outside the 15-minute window, mis-scoped, or made over other bytes is refused with
 * AWS's error code, HTTP status and message, and changes nothing.
 */
class SignatureVerificationTest {
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String MISMATCH = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    private static final String INVALID_TOKEN = "The security token included in the request is invalid.";

    private static TestServer server;
    private static TestServer usEast1Only;
    private static RawClient raw;
    private static SecretsManagerClient sm;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        usEast1Only = TestServer.start(c -> new CofferConfig(c.dataDir(), c.listenHost(), c.listenPort(), c.accountId(),
                Set.of("us-east-1"), c.tlsCertificate(), c.tlsKey(), c.tlsSelfSigned(), c.insecureHttp(), c.purgeInterval()));
        raw = RawClient.of(server);
        sm = server.secretsManager();
    }

    @AfterAll
    static void stop() {
        if (sm != null) sm.close();
        if (server != null) server.close();
        if (usEast1Only != null) usEast1Only.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String createBody(String name, String value) {
        return "{\"Name\":\"" + name + "\",\"SecretString\":\"" + value + "\",\"ClientRequestToken\":\""
                + UUID.randomUUID() + "\"}";
    }

    private static boolean exists(String name) {
        RawClient.Response r = raw.call("DescribeSecret", "{\"SecretId\":\"" + name + "\"}");
        assertThat(r.status()).as("DescribeSecret %s", r).isIn(200, 400);
        if (r.status() == 400) assertThat(r.errorType()).isEqualTo("ResourceNotFoundException");
        return r.ok();
    }

    private static void assertRefused(RawClient.Response r, int status, String code) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.errorType()).as("%s", r).isEqualTo(code);
        assertThat(r.header("x-amzn-ErrorType")).as("%s", r).isEqualTo(code);
    }

    // ---- accepted -----------------------------------------------------------------------

    @Test
    void sdkSignedRequests_areAccepted() {
        String name = unique("sig/sdk");
        String arn = sm.createSecret(r -> r.name(name).secretString("fake-value-sdk")).arn();
        assertThat(sm.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("fake-value-sdk");
        assertThat(sm.listSecrets().secretList()).anySatisfy(e -> assertThat(e.arn()).isEqualTo(arn));
    }

    @Test
    void rawClientSignature_isAccepted() {
        // The control for every refusal below: the same client, unbroken, gets through.
        RawClient.Response r = raw.call("ListSecrets", "{}");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().has("SecretList")).isTrue();
    }

    @Test
    void signatureFourteenMinutesOld_isStillAccepted() {
        RawClient.Response r = raw.request("ListSecrets").signedAt(Instant.now().minus(Duration.ofMinutes(14))).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }

    @Test
    void signatureScopedToTheOnlyConfiguredRegion_isAccepted() {
        RawClient.Response r = RawClient.of(usEast1Only).request("ListSecrets").region("us-east-1").send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }

    // ---- missing or malformed -----------------------------------------------------------

    @Test
    void noAuthorizationHeader_isMissingAuthenticationToken() {
        RawClient.Response r = raw.request("ListSecrets").unsigned().send();
        assertRefused(r, 403, "MissingAuthenticationTokenException");
        assertThat(r.message()).isEqualTo("Missing Authentication Token");
    }

    @Test
    void garbageAuthorizationHeader_isIncompleteSignature() {
        RawClient.Response r = raw.request("ListSecrets").authorization("garbage").send();
        assertRefused(r, 400, "IncompleteSignatureException");
        assertThat(r.message()).startsWith("Authorization header requires 'Credential' parameter. "
                + "Authorization header requires 'Signature' parameter. "
                + "Authorization header requires 'SignedHeaders' parameter. ");
    }

    @Test
    void unsupportedAlgorithm_isIncompleteSignature() {
        String name = unique("sig/algo");
        RawClient.Response r = raw.request("CreateSecret").body(createBody(name, "fake-value-algo"))
                .authorization("AWS4-HMAC-SHA512 Credential=" + server.adminCredentials().accessKeyId()
                        + "/20240101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")
                .send();
        assertRefused(r, 400, "IncompleteSignatureException");
        assertThat(r.message()).startsWith("Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'");
        assertThat(exists(name)).isFalse();
    }

    @Test
    void xAmzDateNotInIso8601BasicFormat_isIncompleteSignature() {
        RawClient.Response r = raw.request("ListSecrets")
                .headerAfterSigning("X-Amz-Date", "Tue, 01 Jan 2030 00:00:00 GMT").send();
        assertRefused(r, 400, "IncompleteSignatureException");
        assertThat(r.message()).startsWith("Date must be in ISO-8601 'basic format'. Got 'Tue, 01 Jan 2030 00:00:00 GMT'.");
    }

    @Test
    void noDateHeader_isIncompleteSignature() {
        RawClient.Response r = raw.request("ListSecrets").withoutHeaderAfterSigning("X-Amz-Date").send();
        assertRefused(r, 400, "IncompleteSignatureException");
        assertThat(r.message()).contains("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }

    @Test
    void hostNotAmongSignedHeaders_isRefused() {
        RawClient.Response r = raw.request("ListSecrets").authorization("AWS4-HMAC-SHA256 Credential="
                + server.adminCredentials().accessKeyId() + "/" + AMZ_DATE.format(Instant.now()).substring(0, 8)
                + "/us-east-1/secretsmanager/aws4_request, SignedHeaders=content-type;x-amz-date;x-amz-target, "
                + "Signature=" + "0".repeat(64)).send();
        assertRefused(r, 400, "InvalidSignatureException");
        assertThat(r.message()).isEqualTo("'Host' must be a 'SignedHeader' in the AWS Authorization.");
    }

    @Test
    void scopeDateOtherThanTheXAmzDateDay_isRefused() {
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String day = AMZ_DATE.format(at).substring(0, 8);
        String otherDay = AMZ_DATE.format(at.minus(Duration.ofDays(1))).substring(0, 8);
        var endpoint = server.endpoint();
        String auth = SigV4Signer.sign("POST", endpoint.getHost() + ":" + endpoint.getPort(), "/", null,
                Map.of("Content-Type", RawClient.CONTENT_TYPE, "X-Amz-Target", "secretsmanager.ListSecrets"),
                "{}".getBytes(StandardCharsets.UTF_8),
                new SigV4Signer.Credentials(server.adminCredentials().accessKeyId(),
                        server.adminCredentials().secretAccessKey(), null),
                TestServer.REGION, "secretsmanager", at).get("Authorization").replace("/" + day + "/", "/" + otherDay + "/");
        RawClient.Response r = raw.request("ListSecrets").signedAt(at).authorization(auth).send();
        assertRefused(r, 400, "InvalidSignatureException");
        assertThat(r.message()).startsWith("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                + "from HTTP: '" + otherDay + "' != '" + day + "'");
    }

    // ---- wrong key ----------------------------------------------------------------------

    @Test
    void signatureMadeWithAWrongSecretKey_isSignatureMismatch() {
        String name = unique("sig/wrong-secret");
        RawClient.Response r = raw.request("CreateSecret").body(createBody(name, "fake-value-ws"))
                .secretKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").send();
        assertRefused(r, 400, "InvalidSignatureException");
        assertThat(r.message()).isEqualTo(MISMATCH);
        assertThat(exists(name)).isFalse();
    }

    @Test
    void unknownAccessKeyId_isUnrecognizedClient() {
        RawClient.Response r = raw.request("ListSecrets").accessKeyId("AKIAIOSFODNN7EXAMPLE").send();
        assertRefused(r, 400, "UnrecognizedClientException");
        assertThat(r.message()).isEqualTo(INVALID_TOKEN);
    }

    @Test
    void sessionTokenWithLongTermKey_isUnrecognizedClient() {
        // No temporary credentials exist yet, so no session token can be valid, even with a correct signature.
        RawClient.Response r = raw.request("ListSecrets").sessionToken("FwoGZXIvYXdzEXAMPLETOKEN").send();
        assertRefused(r, 400, "UnrecognizedClientException");
        assertThat(r.message()).isEqualTo(INVALID_TOKEN);
    }

    // ---- time window --------------------------------------------------------------------

    @Test
    void signatureTwentyMinutesOld_isExpired() {
        Instant at = Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS);
        RawClient.Response r = raw.request("ListSecrets").signedAt(at).send();
        assertRefused(r, 400, "InvalidSignatureException");
        assertThat(r.message()).startsWith("Signature expired: " + AMZ_DATE.format(at) + " is now earlier than ")
                .endsWith(" - 15 min.)");
    }

    @Test
    void signatureTwentyMinutesAhead_isNotYetCurrent() {
        Instant at = Instant.now().plus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS);
        RawClient.Response r = raw.request("ListSecrets").signedAt(at).send();
        assertRefused(r, 400, "InvalidSignatureException");
        assertThat(r.message()).startsWith("Signature not yet current: " + AMZ_DATE.format(at) + " is still later than ")
                .endsWith(" + 15 min.)");
    }

    @Test
    void requestReplayedAfterTheSkewWindow_isExpiredAndChangesNothing() {
        // A valid request captured 16 minutes ago and sent again now: its X-Amz-Date is 16 minutes old.
        String name = unique("sig/replay");
        Instant at = Instant.now().minus(Duration.ofMinutes(16)).truncatedTo(ChronoUnit.SECONDS);
        RawClient.Response r = raw.request("CreateSecret").body(createBody(name, "fake-value-replay")).signedAt(at).send();
        assertRefused(r, 400, "InvalidSignatureException");
        assertThat(r.message()).startsWith("Signature expired: " + AMZ_DATE.format(at));
        assertThat(exists(name)).isFalse();
    }

    // ---- scope --------------------------------------------------------------------------

    @Test
    void scopeRegionNotServed_isRefusedAsInvalidRegion() {
        RawClient.Response r = RawClient.of(usEast1Only).request("ListSecrets").region("eu-west-1").send();
        assertRefused(r, 400, "InvalidSignatureException");
        assertThat(r.message()).startsWith("Credential should be scoped to a valid region.");
    }

    @Test
    void scopeRegionNotARegionName_isRefusedAsInvalidRegion() {
        RawClient.Response r = raw.request("ListSecrets").region("moon-base-alpha").send();
        assertRefused(r, 400, "InvalidSignatureException");
        assertThat(r.message()).startsWith("Credential should be scoped to a valid region.");
    }

    @Test
    void scopeServiceOtherThanSecretsManager_isRefused() {
        RawClient.Response r = raw.request("ListSecrets").service("kms").send();
        assertRefused(r, 400, "InvalidSignatureException");
        assertThat(r.message()).startsWith("Credential should be scoped to correct service: 'secretsmanager'.");
    }

    // ---- signed bytes -------------------------------------------------------------------

    @Test
    void bodyChangedAfterSigning_isSignatureMismatchAndChangesNothing() {
        String signedName = unique("sig/signed");
        String sentName = unique("sig/tampered");
        RawClient.Response r = raw.request("CreateSecret").body(createBody(signedName, "fake-value-a"))
                .bodyAfterSigning(createBody(sentName, "fake-value-b")).send();
        assertRefused(r, 400, "InvalidSignatureException");
        assertThat(r.message()).isEqualTo(MISMATCH);
        assertThat(exists(signedName)).isFalse();
        assertThat(exists(sentName)).isFalse();
    }

    @Test
    void signatureOfOneRequest_doesNotValidateAnotherBody() {
        // Take the Authorization of a correctly signed request A and send it, with A's X-Amz-Date, on body B.
        String nameA = unique("sig/a");
        String nameB = unique("sig/b");
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String bodyA = createBody(nameA, "fake-value-a");
        var endpoint = server.endpoint();
        Map<String, String> signedA = SigV4Signer.sign("POST", endpoint.getHost() + ":" + endpoint.getPort(), "/", null,
                Map.of("Content-Type", RawClient.CONTENT_TYPE, "X-Amz-Target", "secretsmanager.CreateSecret"),
                bodyA.getBytes(StandardCharsets.UTF_8),
                new SigV4Signer.Credentials(server.adminCredentials().accessKeyId(),
                        server.adminCredentials().secretAccessKey(), null),
                TestServer.REGION, "secretsmanager", at);

        RawClient.Response r = raw.request("CreateSecret").body(createBody(nameB, "fake-value-b")).signedAt(at)
                .authorization(signedA.get("Authorization")).send();
        assertRefused(r, 400, "InvalidSignatureException");
        assertThat(r.message()).isEqualTo(MISMATCH);
        assertThat(exists(nameB)).isFalse();

        // A itself, with that same Authorization, is fine: the refusal was about B's bytes.
        RawClient.Response a = raw.request("CreateSecret").body(bodyA).signedAt(at)
                .authorization(signedA.get("Authorization")).send();
        assertThat(a.status()).as("%s", a).isEqualTo(200);
        assertThat(exists(nameA)).isTrue();
    }

    @Test
    void targetChangedAfterSigning_isSignatureMismatch() {
        String name = unique("sig/target");
        assertThat(raw.call("CreateSecret", createBody(name, "fake-value-target")).status()).isEqualTo(200);
        // Signed as a harmless DescribeSecret, sent as DeleteSecret.
        RawClient.Response r = raw.request("DescribeSecret").body("{\"SecretId\":\"" + name + "\"}")
                .headerAfterSigning("X-Amz-Target", "secretsmanager.DeleteSecret").send();
        assertRefused(r, 400, "InvalidSignatureException");
        assertThat(r.message()).isEqualTo(MISMATCH);
        RawClient.Response described = raw.call("DescribeSecret", "{\"SecretId\":\"" + name + "\"}");
        assertThat(described.status()).isEqualTo(200);
        assertThat(described.json().has("DeletedDate")).as("%s", described).isFalse();
    }

    @Test
    void secondTargetHeaderAddedAfterSigning_isSignatureMismatch() {
        String name = unique("sig/dup-target");
        assertThat(raw.call("CreateSecret", createBody(name, "fake-value-dup")).status()).isEqualTo(200);
        RawClient.Response r = raw.request("DescribeSecret")
                .body("{\"SecretId\":\"" + name + "\",\"ForceDeleteWithoutRecovery\":true}")
                .appendHeaderAfterSigning("X-Amz-Target", "secretsmanager.DeleteSecret").send();
        assertRefused(r, 400, "InvalidSignatureException");
        assertThat(r.message()).isEqualTo(MISMATCH);
        assertThat(exists(name)).isTrue();
    }

    @Test
    void refusedRequests_neverEchoTheSecretKey() {
        String secret = server.adminCredentials().secretAccessKey();
        for (RawClient.Response r : new RawClient.Response[] {
                raw.request("ListSecrets").secretKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").send(),
                raw.request("ListSecrets").signedAt(Instant.now().minus(Duration.ofMinutes(20))).send(),
                raw.request("ListSecrets").service("kms").send(),
                raw.request("ListSecrets").bodyAfterSigning("{\"MaxResults\":1}").send()}) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body().contains(secret)).as("error body contains the secret access key").isFalse();
        }
    }
}
