package dev.coffer.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.server.testkit.RawClient;
import dev.coffer.server.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed but correctly signed requests, each sent to a real server. Every one must be
 * answered with the AWS error shape ({@code __type}, a 4xx status, and the
 * {@code x-amzn-ErrorType} header when the request pipeline answered), never a 500; must
 * leave the store exactly as it was; and must not echo the secret value it carried.
 *
 * <p>Many cases aim at a seeded secret (delete it, overwrite its value, tag it) with one
 * member malformed, so a request that slipped through would show up in the fingerprint.
 */
class MalformedRequestTest {
    /** Part of every value the malformed requests carry; no error body may contain it. */
    private static final String SENTINEL = "fakeSentinel7Q2xK";
    private static final String SEEDED = "malformed/seeded";
    private static final String SEEDED_VALUE = "seeded-fake-value";
    private static final String TOKEN = "11111111-2222-3333-4444-555555555555";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestServer server;
    private static RawClient raw;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        raw = RawClient.of(server);
        RawClient.Response created = raw.call("CreateSecret", "{\"Name\":\"" + SEEDED + "\",\"SecretString\":\""
                + SEEDED_VALUE + "\",\"ClientRequestToken\":\"" + TOKEN + "\",\"Description\":\"seeded\","
                + "\"Tags\":[{\"Key\":\"team\",\"Value\":\"security\"}]}");
        assertThat(created.status()).as("%s", created).isEqualTo(200);
        RawClient.Response second = raw.call("PutSecretValue", "{\"SecretId\":\"" + SEEDED + "\",\"SecretString\":\""
                + SEEDED_VALUE + "-2\",\"ClientRequestToken\":\"" + TOKEN.replace('1', '9') + "\"}");
        assertThat(second.status()).as("%s", second).isEqualTo(200);
        RawClient.Response other = raw.call("CreateSecret", "{\"Name\":\"malformed/other\",\"SecretString\":\"other-fake\","
                + "\"ClientRequestToken\":\"" + TOKEN.replace('2', '8') + "\"}");
        assertThat(other.status()).as("%s", other).isEqualTo(200);
        fingerprint(); // the first read sets LastAccessedDate (day granularity); later reads leave it alone
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** What the store holds, as seen through the API: the secret list, the seeded secret's metadata, versions and value. */
    private static JsonNode fingerprint() {
        ObjectNode print = JSON.createObjectNode();
        print.set("list", ok(raw.call("ListSecrets", "{\"IncludePlannedDeletion\":true,\"MaxResults\":100}")));
        print.set("describe", ok(raw.call("DescribeSecret", "{\"SecretId\":\"" + SEEDED + "\"}")));
        print.set("versions", ok(raw.call("ListSecretVersionIds", "{\"SecretId\":\"" + SEEDED + "\",\"IncludeDeprecated\":true}")));
        print.set("value", ok(raw.call("GetSecretValue", "{\"SecretId\":\"" + SEEDED + "\"}")));
        return print;
    }

    private static JsonNode ok(RawClient.Response r) {
        assertThat(r.status()).as("fingerprint read %s", r).isEqualTo(200);
        return r.json();
    }

    /** One malformed request and the answer it must get. {@code fromEdge}: answered before the pipeline. */
    record Case(Function<RawClient, RawClient.Response> send, int status, String code, boolean fromEdge) {}

    private static Arguments row(String what, int status, String code, Function<RawClient, RawClient.Response> send) {
        return Arguments.of(Named.of(what, new Case(send, status, code, false)));
    }

    private static Arguments edgeRow(String what, int status, String code, Function<RawClient, RawClient.Response> send) {
        return Arguments.of(Named.of(what, new Case(send, status, code, true)));
    }

    private static Function<RawClient, RawClient.Response> post(String op, String body) {
        return c -> c.call(op, body);
    }

    private static Function<RawClient, RawClient.Response> post(String op, byte[] body) {
        return c -> c.request(op).body(body).send();
    }

    private static String repeat(int bytes) {
        StringBuilder b = new StringBuilder(bytes + SENTINEL.length());
        while (b.length() < bytes) b.append(SENTINEL);
        return b.toString();
    }

    private static byte[] tenMegabyteCreate() {
        return ("{\"Name\":\"malformed/huge\",\"ClientRequestToken\":\"" + TOKEN + "\",\"SecretString\":\""
                + repeat(10 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> malformed() {
        String put = "{\"SecretId\":\"" + SEEDED + "\",\"ClientRequestToken\":\"aaaaaaaa-2222-3333-4444-555555555555\",";
        List<Arguments> rows = new ArrayList<>(List.of(
                // --- not a JSON object
                row("invalid JSON (truncated object)", 400, "SerializationException",
                        post("PutSecretValue", put + "\"SecretString\":\"" + SENTINEL + "\"")),
                row("invalid JSON (bare words)", 400, "SerializationException",
                        post("CreateSecret", "Name=x&SecretString=" + SENTINEL)),
                row("JSON array instead of an object", 400, "SerializationException",
                        post("PutSecretValue", "[" + put + "\"SecretString\":\"" + SENTINEL + "\"}]")),
                row("JSON string instead of an object", 400, "SerializationException",
                        post("CreateSecret", "\"" + SENTINEL + "\"")),
                row("JSON number instead of an object", 400, "SerializationException", post("ListSecrets", "42")),
                row("JSON null instead of an object", 400, "SerializationException", post("DeleteSecret", "null")),
                row("body that is not UTF-8", 400, "SerializationException",
                        post("CreateSecret", new byte[] {'{', '"', 'N', 'a', 'm', 'e', '"', ':', '"', (byte) 0xff, (byte) 0xfe,
                                (byte) 0xc3, '"', '}'})),
                row("JSON nested 100000 levels deep", 400, "SerializationException",
                        post("CreateSecret", "{\"Name\":\"malformed/deep\",\"Tags\":" + "[".repeat(100_000)
                                + "]".repeat(100_000) + "}")),
                row("number with 5000 digits", 400, "SerializationException",
                        post("ListSecrets", "{\"MaxResults\":" + "9".repeat(5000) + "}")),
                row("number out of double range", 400, "SerializationException",
                        post("ListSecrets", "{\"MaxResults\":1e999999999}")),

                // --- members of the wrong type
                row("Name as a number", 400, "SerializationException",
                        post("CreateSecret", "{\"Name\":123,\"SecretString\":\"" + SENTINEL + "\",\"ClientRequestToken\":\""
                                + TOKEN + "\"}")),
                row("SecretId as a list", 400, "SerializationException",
                        post("DeleteSecret", "{\"SecretId\":[\"" + SEEDED + "\"],\"ForceDeleteWithoutRecovery\":true}")),
                row("Tags as an object", 400, "SerializationException",
                        post("TagResource", "{\"SecretId\":\"" + SEEDED + "\",\"Tags\":{\"Key\":\"k\",\"Value\":\"v\"}}")),
                row("Tags as a list of strings", 400, "SerializationException",
                        post("TagResource", "{\"SecretId\":\"" + SEEDED + "\",\"Tags\":[\"k=v\"]}")),
                row("SecretBinary not base64", 400, "SerializationException",
                        post("PutSecretValue", put + "\"SecretBinary\":\"" + SENTINEL + "!*\"}")),
                row("SecretBinary base64 with bad padding", 400, "SerializationException",
                        post("PutSecretValue", put + "\"SecretBinary\":\"" + SENTINEL + "=\"}")),
                row("SecretString as a number", 400, "SerializationException",
                        post("PutSecretValue", put + "\"SecretString\":12345}")),
                row("SecretString as an object", 400, "SerializationException",
                        post("PutSecretValue", put + "\"SecretString\":{\"password\":\"" + SENTINEL + "\"}}")),
                row("ForceDeleteWithoutRecovery as a string", 400, "SerializationException",
                        post("DeleteSecret", "{\"SecretId\":\"" + SEEDED + "\",\"ForceDeleteWithoutRecovery\":\"true\"}")),
                row("RecoveryWindowInDays as a string", 400, "SerializationException",
                        post("DeleteSecret", "{\"SecretId\":\"" + SEEDED + "\",\"RecoveryWindowInDays\":\"7\"}")),
                row("RecoveryWindowInDays as a fraction", 400, "SerializationException",
                        post("DeleteSecret", "{\"SecretId\":\"" + SEEDED + "\",\"RecoveryWindowInDays\":7.5}")),
                row("Description as a number", 400, "SerializationException",
                        post("UpdateSecret", "{\"SecretId\":\"" + SEEDED + "\",\"Description\":7}")),

                // --- missing or out-of-range members
                row("CreateSecret without Name", 400, "ValidationException",
                        post("CreateSecret", "{\"SecretString\":\"" + SENTINEL + "\",\"ClientRequestToken\":\"" + TOKEN + "\"}")),
                row("PutSecretValue without SecretId", 400, "ValidationException",
                        post("PutSecretValue", "{\"SecretString\":\"" + SENTINEL + "\",\"ClientRequestToken\":\"" + TOKEN + "\"}")),
                row("GetSecretValue with an empty body", 400, "ValidationException", post("GetSecretValue", "")),
                row("DeleteSecret with an empty body", 400, "ValidationException", post("DeleteSecret", "")),
                row("UpdateSecretVersionStage with {}", 400, "ValidationException", post("UpdateSecretVersionStage", "{}")),
                row("Name of 513 characters", 400, "ValidationException",
                        post("CreateSecret", "{\"Name\":\"" + "n".repeat(513) + "\",\"SecretString\":\"" + SENTINEL
                                + "\",\"ClientRequestToken\":\"" + TOKEN + "\"}")),
                row("Name with a space and a star", 400, "ValidationException",
                        post("CreateSecret", "{\"Name\":\"bad name*\",\"SecretString\":\"" + SENTINEL
                                + "\",\"ClientRequestToken\":\"" + TOKEN + "\"}")),
                row("Name with a NUL character", 400, "ValidationException",
                        post("CreateSecret", "{\"Name\":\"bad\\u0000name\",\"SecretString\":\"" + SENTINEL
                                + "\",\"ClientRequestToken\":\"" + TOKEN + "\"}")),
                row("SecretId with bad characters", 400, "ValidationException",
                        post("DeleteSecret", "{\"SecretId\":\"" + SEEDED + "?*\",\"ForceDeleteWithoutRecovery\":true}")),
                row("SecretString over 65536 bytes", 400, "ValidationException",
                        post("PutSecretValue", put + "\"SecretString\":\"" + repeat(65_537) + "\"}")),
                row("ClientRequestToken shorter than 32", 400, "ValidationException",
                        post("PutSecretValue", "{\"SecretId\":\"" + SEEDED + "\",\"ClientRequestToken\":\"short\","
                                + "\"SecretString\":\"" + SENTINEL + "\"}")),
                row("RecoveryWindowInDays of 0", 400, "InvalidParameterException",
                        post("DeleteSecret", "{\"SecretId\":\"" + SEEDED + "\",\"RecoveryWindowInDays\":0}")),
                row("MaxResults of 0", 400, "ValidationException", post("ListSecrets", "{\"MaxResults\":0}")),
                row("unknown filter key", 400, "ValidationException",
                        post("ListSecrets", "{\"Filters\":[{\"Key\":\"bogus\",\"Values\":[\"x\"]}]}")),

                // --- no such operation
                row("unknown operation target", 400, "UnknownOperationException",
                        post("StealAllSecrets", "{\"SecretId\":\"" + SEEDED + "\"}")),
                row("target of another service", 400, "UnknownOperationException",
                        c -> c.request(null).target("TrentService.Decrypt").body("{\"CiphertextBlob\":\"AAAA\"}").send()),
                row("target without a service prefix", 400, "UnknownOperationException",
                        c -> c.request(null).target("DeleteSecret").body("{\"SecretId\":\"" + SEEDED + "\"}").send()),
                row("no X-Amz-Target", 400, "UnknownOperationException",
                        c -> c.request(null).body("{\"SecretId\":\"" + SEEDED + "\"}").send()),

                // --- refused by the HTTP edge
                edgeRow("10 MB body with Content-Length", 413, "RequestEntityTooLargeException",
                        post("CreateSecret", tenMegabyteCreate())),
                edgeRow("10 MB body, chunked", 413, "RequestEntityTooLargeException",
                        c -> c.request("CreateSecret").body(tenMegabyteCreate()).chunked().send()),
                edgeRow("GET /", 404, "UnknownOperationException",
                        c -> c.request("ListSecrets").method("GET").body(new byte[0]).send()),
                edgeRow("POST /unknown-path", 404, "UnknownOperationException",
                        c -> c.request("DeleteSecret").path("/unknown-path")
                                .body("{\"SecretId\":\"" + SEEDED + "\",\"ForceDeleteWithoutRecovery\":true}").send())));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRequest_getsTheAwsErrorShape_andLeavesTheStoreUnchanged(Case c) {
        JsonNode before = fingerprint();

        RawClient.Response r = c.send().apply(raw);

        assertThat(r.status()).as("status of %s", r).isEqualTo(c.status()).isBetween(400, 499);
        assertThat(r.errorType()).as("__type of %s", r).isEqualTo(c.code());
        if (!c.fromEdge()) {
            assertThat(r.header("x-amzn-ErrorType")).as("x-amzn-ErrorType of %s", r).isEqualTo(c.code());
        }
        assertThat(r.header("Content-Type")).as("%s", r).startsWith("application/");
        assertThat(r.body()).as("the error body echoes the value the request carried").doesNotContain(SENTINEL);
        assertThat(r.body()).doesNotContain(SEEDED_VALUE);

        assertThat(fingerprint()).as("the store after the malformed request").isEqualTo(before);
    }
}
