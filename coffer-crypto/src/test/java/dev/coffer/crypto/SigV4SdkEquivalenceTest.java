package dev.coffer.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Our SigV4 against the AWS SDK for Java v2's own signer ({@link AwsV4HttpSigner}, configured as the SDK configures it
 * for services other than S3: double URL encoding, path normalisation, signed payload), on random requests: random
 * methods, paths (with dot segments, empty segments and escapes), query strings (repeated, empty and valueless
 * parameters, non-ASCII, loosely encoded), header values with whitespace, repeated headers, bodies, regions,
 * services, times and credentials.
 */
class SigV4SdkEquivalenceTest {

    record QueryParam(String name, String value) {
    }

    record Header(String name, List<String> values) {
    }

    /** What the SDK signs and sends for this request. */
    private static SdkHttpRequest sdkSign(String method, String host, String rawPath, List<QueryParam> query,
                                          List<Header> headers, byte[] body, SigV4Signer.Credentials creds,
                                          String region, String service, Instant now) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.valueOf(method)).protocol("https").host("coffer.example").encodedPath(rawPath)
            .putHeader("Host", host);
        query.forEach(p -> request.appendRawQueryParameter(p.name(), p.value()));
        headers.forEach(h -> request.putHeader(h.name(), h.values()));
        AwsCredentialsIdentity identity = creds.sessionToken() == null
            ? AwsCredentialsIdentity.create(creds.accessKeyId(), creds.secretAccessKey())
            : AwsSessionCredentialsIdentity.create(creds.accessKeyId(), creds.secretAccessKey(), creds.sessionToken());
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(identity)
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, true)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, true)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)))
            .request();
    }

    /** One random request; a single parameter so that jqwik shrinks it as a whole. */
    record Case(String method, String host, String rawPath, List<QueryParam> query, long encodingSeed,
                List<Header> headers, byte[] body, String region, String service, Instant now,
                SigV4Signer.Credentials creds) {

        String rawQuery() {
            return SigV4SdkEquivalenceTest.rawQuery(query, new Random(encodingSeed));
        }

        SdkHttpRequest signedBySdk() {
            return sdkSign(method, host, rawPath, query, headers, body, creds, region, service, now);
        }

        @Override
        public String toString() {
            return "Case[" + method + " " + host + " path=" + rawPath + " query=" + rawQuery() + " headers=" + headers
                + " body=" + Hashing.hex(body) + " region=" + region + " service=" + service + " now=" + now
                + " akid=" + creds.accessKeyId() + " secret=" + creds.secretAccessKey() + " token="
                + creds.sessionToken() + "]";
        }
    }

    @Property(tries = 1000)
    void clientSigner_producesTheSdksAuthorizationHeader(@ForAll("cases") Case c) {
        SdkHttpRequest signedBySdk = c.signedBySdk();

        Map<String, String> ourHeaders = new LinkedHashMap<>();
        c.headers().forEach(h -> ourHeaders.put(h.name(), h.values().getFirst()));
        // The SDK adds (and signs) x-amz-content-sha256; hand the same header to our signer to sign.
        ourHeaders.put("x-amz-content-sha256", Hashing.sha256Hex(c.body()));
        Map<String, String> added = SigV4Signer.sign(c.method(), c.host(), c.rawPath(), c.rawQuery(), ourHeaders,
            c.body(), c.creds(), c.region(), c.service(), c.now());

        assertThat(added.get("Authorization")).isEqualTo(signedBySdk.firstMatchingHeader("Authorization").orElseThrow());
        assertThat(added.get("X-Amz-Date")).isEqualTo(signedBySdk.firstMatchingHeader("X-Amz-Date").orElseThrow());
        assertThat(added.get("X-Amz-Security-Token"))
            .isEqualTo(signedBySdk.firstMatchingHeader("X-Amz-Security-Token").orElse(null));
    }

    @Property(tries = 1000)
    void serverVerification_acceptsWhatTheSdkSigned_andNothingElse(@ForAll("casesWithRepeatedHeaders") Case c) {
        SdkHttpRequest received = c.signedBySdk();

        // What a server does: parse the Authorization header, rebuild the canonical request from the raw request.
        SigV4Authorization auth = SigV4Authorization.parse(received.firstMatchingHeader("Authorization").orElseThrow());
        List<Map.Entry<String, String>> receivedHeaders = new ArrayList<>();
        received.forEachHeader((name, values) -> values.forEach(v -> receivedHeaders.add(Map.entry(name, v))));
        String amzDate = received.firstMatchingHeader("X-Amz-Date").orElseThrow();
        String secret = c.creds().secretAccessKey();

        assertThat(auth.accessKeyId()).isEqualTo(c.creds().accessKeyId());
        assertThat(auth.region()).isEqualTo(c.region());
        assertThat(auth.service()).isEqualTo(c.service());
        assertThat(verify(auth, c.method(), received.encodedPath(), c.rawQuery(), receivedHeaders, c.body(), amzDate,
            secret)).isEqualTo(auth.signature());

        byte[] otherBody = Arrays.copyOf(c.body(), c.body().length + 1);
        assertThat(verify(auth, c.method(), received.encodedPath(), c.rawQuery(), receivedHeaders, otherBody, amzDate,
            secret)).isNotEqualTo(auth.signature());
    }

    private static String verify(SigV4Authorization auth, String method, String rawPath, String rawQuery,
                                 List<Map.Entry<String, String>> headers, byte[] body, String amzDate,
                                 String secretAccessKey) {
        String canonicalRequest = SigV4.canonicalRequest(method, SigV4.canonicalUri(rawPath),
            SigV4.canonicalQuery(rawQuery), headers, auth.signedHeaders(), Hashing.sha256Hex(body));
        String stringToSign = SigV4.stringToSign(amzDate, SigV4.scope(auth.date(), auth.region(), auth.service()),
            Hashing.sha256Hex(canonicalRequest.getBytes(UTF_8)));
        byte[] key = SigV4.signingKey(secretAccessKey, auth.date(), auth.region(), auth.service());
        return SigV4.signatureHex(key, stringToSign);
    }

    // ---- how a client might put the query on the wire: any valid percent-encoding, not just the canonical one ----

    static String rawQuery(List<QueryParam> params, Random rnd) {
        StringBuilder out = new StringBuilder();
        for (QueryParam p : params) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(looselyEncode(p.name(), rnd));
            if (p.value() != null) {
                out.append('=').append(looselyEncode(p.value(), rnd));
            }
        }
        return out.toString();
    }

    private static String looselyEncode(String s, Random rnd) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> {
            boolean unreserved = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
                || "-_.~".indexOf(cp) >= 0;
            if (unreserved) {
                if (rnd.nextInt(4) == 0) {
                    percent(out, new byte[] {(byte) cp}, rnd);
                } else {
                    out.appendCodePoint(cp);
                }
            } else if (cp == ' ') {
                out.append(rnd.nextBoolean() ? "+" : "%20");
            } else if ("!$'()*,;:@/?".indexOf(cp) >= 0 && rnd.nextBoolean()) {
                out.appendCodePoint(cp);
            } else {
                percent(out, new String(Character.toChars(cp)).getBytes(UTF_8), rnd);
            }
        });
        return out.toString();
    }

    private static void percent(StringBuilder out, byte[] bytes, Random rnd) {
        for (byte b : bytes) {
            String hex = String.format("%02X", b & 0xff);
            out.append('%').append(rnd.nextBoolean() ? hex : hex.toLowerCase(Locale.ROOT));
        }
    }

    // ---- generators ----

    private static final List<String> TEXT_TOKENS = List.of(
        "a", "Z", "0", "9", "-", "_", ".", "~", " ", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", ":", "@",
        "/", "?", "%", "#", "\"", "<", ">", "[", "]", "{", "}", "|", "\\", "^", "`", "\u00e9", "\u00fc", "\u65e5\u672c",
        "\ud83d\ude00", "key", "Value", "x-amz", "%20", "%2B");

    private static Arbitrary<String> text(int maxTokens) {
        return Arbitraries.of(TEXT_TOKENS).list().ofMaxSize(maxTokens).map(l -> String.join("", l));
    }

    private record Partial(String method, String host, String rawPath, List<QueryParam> query, long encodingSeed,
                           List<Header> headers, byte[] body, String region) {
    }

    private static Arbitrary<Case> cases(Arbitrary<List<Header>> headers) {
        Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<Partial> partial = Combinators.combine(methods(), hosts(), rawPaths(), queries(), Arbitraries.longs(),
            headers, body, regions()).as(Partial::new);
        return Combinators.combine(partial, services(), instants(), credentials()).as((p, service, now, creds) ->
            new Case(p.method(), p.host(), p.rawPath(), p.query(), p.encodingSeed(), p.headers(), p.body(), p.region(),
                service, now, creds));
    }

    @Provide
    Arbitrary<Case> cases() {
        return cases(singleValuedHeaders());
    }

    @Provide
    Arbitrary<Case> casesWithRepeatedHeaders() {
        return cases(multiValuedHeaders());
    }

    private static Arbitrary<String> methods() {
        return Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD");
    }

    private static Arbitrary<String> hosts() {
        return Arbitraries.of("secretsmanager.us-east-1.amazonaws.com", "localhost:8443", "127.0.0.1:4566",
            "coffer.internal");
    }

    private static Arbitrary<String> rawPaths() {
        Arbitrary<String> unit = Arbitraries.oneOf(
            Arbitraries.of("a", "B", "z", "0", "7", "-", "_", ".", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",",
                ";", "=", ":", "@", "foo", "secret"),
            Arbitraries.of("%20", "%2F", "%2f", "%2E", "%2e", "%25", "%C3%A9", "%7E", "%41", "%3D", "%26"));
        Arbitrary<String> segment = Arbitraries.oneOf(
            unit.list().ofMaxSize(5).map(l -> String.join("", l)),
            Arbitraries.of(".", "..", ""));
        Arbitrary<String> path = Combinators.combine(segment.list().ofMaxSize(6), Arbitraries.of(true, false))
            .as((segments, trailingSlash) -> "/" + String.join("/", segments) + (trailingSlash ? "/" : ""));
        return Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just("")),
            Tuple.of(2, Arbitraries.just("/")),
            Tuple.of(12, path));
    }

    private static Arbitrary<List<QueryParam>> queries() {
        Arbitrary<String> name = Arbitraries.oneOf(text(6), Arbitraries.of("Action", "Version", "a", "a", "b"));
        Arbitrary<String> value = Arbitraries.oneOf(text(8), Arbitraries.just("")).injectNull(0.15);
        return Combinators.combine(name, value).as(QueryParam::new).list().ofMaxSize(6);
    }

    private static Arbitrary<String> headerValue() {
        Arbitrary<String> token = Arbitraries.oneOf(
            Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(6),
            Arbitraries.of(" ", "  ", "\t", " \t "));
        return token.list().ofMaxSize(6).map(l -> String.join("", l));
    }

    private static Arbitrary<List<Header>> headers(int maxValues) {
        Arbitrary<String> name = Arbitraries.oneOf(
            Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-').ofMinLength(1).ofMaxLength(8)
                .map(s -> "x-coffer-" + s),
            Arbitraries.of("content-type", "x-amz-target"));
        Arbitrary<Header> header = Combinators.combine(name, Arbitraries.of(true, false),
                headerValue().list().ofMinSize(1).ofMaxSize(maxValues))
            .as((n, upper, values) -> new Header(upper ? capitalise(n) : n, values));
        return header.list().ofMaxSize(4).uniqueElements(h -> h.name().toLowerCase(Locale.ROOT));
    }

    private static String capitalise(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean start = true;
        for (char c : name.toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : c);
            start = c == '-';
        }
        return out.toString();
    }

    private static Arbitrary<List<Header>> singleValuedHeaders() {
        return headers(1);
    }

    private static Arbitrary<List<Header>> multiValuedHeaders() {
        return headers(3);
    }

    private static Arbitrary<String> regions() {
        return Arbitraries.oneOf(
            Arbitraries.of("us-east-1", "eu-central-1", "ap-southeast-2", "local"),
            Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-').ofMinLength(1).ofMaxLength(15));
    }

    private static Arbitrary<String> services() {
        return Arbitraries.oneOf(
            Arbitraries.of("secretsmanager", "service", "kms"),
            Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12));
    }

    private static Arbitrary<Instant> instants() {
        // 2000-01-01T00:00:00Z .. 2099-12-31T23:59:59Z
        return Arbitraries.longs().between(946_684_800L, 4_102_444_799L).map(Instant::ofEpochSecond);
    }

    private static Arbitrary<SigV4Signer.Credentials> credentials() {
        Arbitrary<String> akid = Arbitraries.strings().withCharRange('A', 'Z').numeric().ofLength(16)
            .map(s -> "AKIA" + s);
        Arbitrary<String> secret = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40);
        Arbitrary<String> token = Arbitraries.strings().alpha().numeric().withChars('+', '/', '=')
            .ofMinLength(1).ofMaxLength(60).injectNull(0.5);
        return Combinators.combine(akid, secret, token).as(SigV4Signer.Credentials::new);
    }
}
