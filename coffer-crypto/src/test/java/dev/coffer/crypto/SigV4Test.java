package dev.coffer.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SigV4 steps against AWS's published test suite and the canonicalisation rules, one rule per test. */
class SigV4Test {

    // AWS SigV4 test suite, "get-vanilla".
    private static final String AKID = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String AMZ_DATE = "20150830T123600Z";
    private static final String GET_VANILLA_SIGNATURE =
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

    @Test
    void getVanilla_fromTheAwsTestSuite_stepByStep() {
        List<Map.Entry<String, String>> headers = List.of(
            Map.entry("Host", "example.amazonaws.com"), Map.entry("X-Amz-Date", AMZ_DATE));
        String canonicalRequest = SigV4.canonicalRequest("GET", SigV4.canonicalUri("/"), SigV4.canonicalQuery(""),
            headers, List.of("host", "x-amz-date"), Hashing.sha256Hex(new byte[0]));
        assertThat(canonicalRequest).isEqualTo("""
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");

        String scope = SigV4.scope("20150830", "us-east-1", "service");
        assertThat(scope).isEqualTo("20150830/us-east-1/service/aws4_request");
        String stringToSign = SigV4.stringToSign(AMZ_DATE, scope, Hashing.sha256Hex(canonicalRequest.getBytes(UTF_8)));
        byte[] key = SigV4.signingKey(SECRET, "20150830", "us-east-1", "service");
        assertThat(SigV4.signatureHex(key, stringToSign)).isEqualTo(GET_VANILLA_SIGNATURE);
    }

    @Test
    void getVanilla_fromTheAwsTestSuite_withTheClientSigner() {
        Map<String, String> added = SigV4Signer.sign("GET", "example.amazonaws.com", "/", "", Map.of(), new byte[0],
            new SigV4Signer.Credentials(AKID, SECRET, null), "us-east-1", "service",
            Instant.parse("2015-08-30T12:36:00Z"));
        assertThat(added).containsOnlyKeys("X-Amz-Date", "Authorization");
        assertThat(added.get("X-Amz-Date")).isEqualTo(AMZ_DATE);
        assertThat(added.get("Authorization")).isEqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=" + GET_VANILLA_SIGNATURE);
    }

    @Test
    void signingKey_matchesTheAwsDocumentationExample() {
        // docs.aws.amazon.com "Examples of how to derive a signing key for Signature Version 4".
        byte[] key = SigV4.signingKey(SECRET, "20120215", "us-east-1", "iam");
        assertThat(Hashing.hex(key)).isEqualTo("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
    }

    @Test
    void headerValues_areTrimmedCollapsedAndRepeatsJoinedWithCommas() {
        List<Map.Entry<String, String>> headers = List.of(
            Map.entry("X-Multi", "  a \t  b  "), Map.entry("host", "h"), Map.entry("x-multi", "c"),
            Map.entry("X-Unsigned", "ignored"));
        String cr = SigV4.canonicalRequest("GET", "/", "", headers, List.of("host", "x-multi"), "hash");
        assertThat(cr).isEqualTo("GET\n/\n\nhost:h\nx-multi:a b,c\n\nhost;x-multi\nhash");
    }

    @Test
    void canonicalUri_isDoubleEncodedAndNormalised_likeTheSdkForNonS3Services() {
        assertThat(SigV4.canonicalUri("")).isEqualTo("/");
        assertThat(SigV4.canonicalUri(null)).isEqualTo("/");
        assertThat(SigV4.canonicalUri("/")).isEqualTo("/");
        assertThat(SigV4.canonicalUri("/foo%20bar")).isEqualTo("/foo%2520bar");
        assertThat(SigV4.canonicalUri("/a/./b/../c")).isEqualTo("/a/c");
        assertThat(SigV4.canonicalUri("/a/b/..")).isEqualTo("/a");
        assertThat(SigV4.canonicalUri("/a/b/")).isEqualTo("/a/b/");
        assertThat(SigV4.canonicalUri("//a//b")).isEqualTo("/a/b");
        assertThat(SigV4.canonicalUri("/-_.~!$'()*")).isEqualTo("/-_.~%21%24%27%28%29%2A");
    }

    @Test
    void canonicalQuery_decodesReencodesAndSorts() {
        assertThat(SigV4.canonicalQuery(null)).isEmpty();
        assertThat(SigV4.canonicalQuery("")).isEmpty();
        assertThat(SigV4.canonicalQuery("b=2&a=1")).isEqualTo("a=1&b=2");
        assertThat(SigV4.canonicalQuery("a=2&a=1&a=10")).isEqualTo("a=1&a=10&a=2");
        assertThat(SigV4.canonicalQuery("flag")).isEqualTo("flag=");
        assertThat(SigV4.canonicalQuery("a+b=c%20d")).isEqualTo("a%20b=c%20d");
        assertThat(SigV4.canonicalQuery("%7e=~&x=%2b")).isEqualTo("x=%2B&~=~");
        assertThat(SigV4.canonicalQuery("=dropped&&k=v&")).isEqualTo("k=v");
        assertThat(SigV4.canonicalQuery("bad=%zz%4")).isEqualTo("bad=%25zz%254");
        assertThat(SigV4.canonicalQuery("\u00e9=%C3%BC")).isEqualTo("%C3%A9=%C3%BC");
        assertThat(SigV4.canonicalQuery("Param2=value2&Param1=value1")).isEqualTo("Param1=value1&Param2=value2");
    }

    @Test
    void clientSigner_addsTheSessionTokenAndSignsIt() {
        Map<String, String> added = SigV4Signer.sign("POST", "localhost:8443", "/", null,
            Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "secretsmanager.GetSecretValue"),
            "{}".getBytes(UTF_8), new SigV4Signer.Credentials(AKID, SECRET, "token/with+chars="), "us-east-1",
            "secretsmanager", Instant.parse("2024-02-29T23:59:59Z"));
        assertThat(added).containsKeys("X-Amz-Date", "X-Amz-Security-Token", "Authorization");
        assertThat(added.get("X-Amz-Security-Token")).isEqualTo("token/with+chars=");
        assertThat(added.get("Authorization")).contains(
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,");
    }

    @Test
    void credentialsToString_neverShowsTheSecretOrToken() {
        var creds = new SigV4Signer.Credentials(AKID, SECRET, "sessiontoken123");
        assertThat(creds.toString()).contains(AKID).doesNotContain(SECRET).doesNotContain("sessiontoken123");
    }

    @Test
    void clientSigner_refusesHeadersItSetsItself() {
        var creds = new SigV4Signer.Credentials(AKID, SECRET, null);
        for (String name : List.of("Host", "x-amz-date", "X-Amz-Security-Token", "Authorization")) {
            assertThatThrownBy(() -> SigV4Signer.sign("GET", "h", "/", "",
                    Map.of(name, "v"), null, creds, "r", "s", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SigV4Signer.sign("GET", "h", "/", "",
                Map.of("X-A", "1", "x-a", "2"), null, creds, "r", "s", Instant.EPOCH))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
