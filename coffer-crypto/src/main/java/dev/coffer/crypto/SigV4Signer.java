package dev.coffer.crypto;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A small client-side SigV4 signer for our own tools and benchmarks (header authentication, signed payload).
 *
 * <p>Guarantees: the {@code Authorization} header it produces is the one the AWS SDK for Java v2 produces for the same
 * request (checked by property tests), because it is built from the same {@link SigV4} steps the server verifies
 * with. It signs {@code host}, {@code x-amz-date}, every header passed in, and {@code x-amz-security-token} when there
 * is a session token. Stateless and thread-safe.
 */
public final class SigV4Signer {

    private static final DateTimeFormatter AMZ_DATE =
        DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private SigV4Signer() {
    }

    /**
     * AWS credentials. {@link #toString()} never shows the secret or the session token.
     *
     * @param sessionToken {@code null} for long-term credentials
     */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        public Credentials {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***"
                + (sessionToken == null ? "" : ", sessionToken=***") + "]";
        }
    }

    /**
     * Signs a request and returns the headers to add to it: {@code X-Amz-Date}, {@code X-Amz-Security-Token} (only with
     * a session token) and {@code Authorization}.
     *
     * @param host the Host header value exactly as it will be sent (include a non-default port)
     * @param path the raw path exactly as on the request line (already percent-encoded); "" means "/"
     * @param query the raw query string exactly as sent, without '?'; {@code null} or "" for none
     * @param headers further headers to sign (e.g. {@code Content-Type}, {@code X-Amz-Target}), sent unchanged; they must
     *     not include Host, X-Amz-Date, X-Amz-Security-Token or Authorization, nor repeat a name in another case
     * @param body the exact payload bytes; {@code null} means empty
     * @throws IllegalArgumentException if {@code headers} contains a header this method sets itself, or a name twice
     */
    public static Map<String, String> sign(String method, String host, String path, String query,
                                           Map<String, String> headers, byte[] body, Credentials creds,
                                           String region, String service, Instant now) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(creds, "creds");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
        String amzDate = AMZ_DATE.format(Objects.requireNonNull(now, "now"));
        String date = amzDate.substring(0, 8);

        TreeMap<String, String> toSign = new TreeMap<>();
        if (headers != null) {
            for (Map.Entry<String, String> h : headers.entrySet()) {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (name.equals("host") || name.equals("x-amz-date") || name.equals("x-amz-security-token")
                        || name.equals("authorization")) {
                    throw new IllegalArgumentException("header " + h.getKey() + " is set by the signer");
                }
                if (toSign.put(name, Objects.requireNonNull(h.getValue(), name)) != null) {
                    throw new IllegalArgumentException("header " + h.getKey() + " given twice");
                }
            }
        }
        toSign.put("host", host);
        toSign.put("x-amz-date", amzDate);
        if (creds.sessionToken() != null) {
            toSign.put("x-amz-security-token", creds.sessionToken());
        }

        List<Map.Entry<String, String>> entries = new ArrayList<>(toSign.size());
        toSign.forEach((k, v) -> entries.add(new SimpleImmutableEntry<>(k, v)));
        List<String> signedHeaders = List.copyOf(toSign.keySet());

        String canonicalRequest = SigV4.canonicalRequest(method, SigV4.canonicalUri(path), SigV4.canonicalQuery(query),
            entries, signedHeaders, Hashing.sha256Hex(body == null ? new byte[0] : body));
        String scope = SigV4.scope(date, region, service);
        String stringToSign = SigV4.stringToSign(amzDate, scope, Hashing.sha256Hex(
            canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] signingKey = SigV4.signingKey(creds.secretAccessKey(), date, region, service);
        String signature;
        try {
            signature = SigV4.signatureHex(signingKey, stringToSign);
        } finally {
            Arrays.fill(signingKey, (byte) 0);
        }

        Map<String, String> added = new LinkedHashMap<>();
        added.put("X-Amz-Date", amzDate);
        if (creds.sessionToken() != null) {
            added.put("X-Amz-Security-Token", creds.sessionToken());
        }
        added.put("Authorization", SigV4.ALGORITHM + " Credential=" + creds.accessKeyId() + '/' + scope
            + ", SignedHeaders=" + String.join(";", signedHeaders) + ", Signature=" + signature);
        return Collections.unmodifiableMap(added);
    }
}
