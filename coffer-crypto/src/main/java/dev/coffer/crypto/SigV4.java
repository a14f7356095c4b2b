package dev.coffer.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The steps of AWS Signature Version 4 (AWS4-HMAC-SHA256), shared by the server, which verifies, and our own clients,
 * which sign: canonical request, string to sign, signing key, signature.
 *
 * <p>Guarantees: for services other than S3 the canonical strings are byte for byte the ones the AWS SDK for Java v2
 * signer builds (double URL-encoded, normalised path; {@code DOUBLE_URL_ENCODE} and {@code NORMALIZE_PATH} on), which
 * is checked by property tests against the SDK's own {@code AwsV4HttpSigner}. Getting one byte different would make
 * every real client's signature fail, so the rules are spelled out below rather than approximated. Stateless and
 * thread-safe.
 */
public final class SigV4 {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final String TERMINATOR = "aws4_request";

    private static final Comparator<String[]> BY_KEY_THEN_VALUE =
        Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]);

    private SigV4() {
    }

    /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
    public static byte[] signingKey(String secretAccessKey, String yyyymmdd, String region, String service) {
        byte[] kSecret = ("AWS4" + Objects.requireNonNull(secretAccessKey, "secretAccessKey")).getBytes(UTF_8);
        byte[] kDate = Hashing.hmacSha256(kSecret, yyyymmdd.getBytes(UTF_8));
        byte[] kRegion = Hashing.hmacSha256(kDate, region.getBytes(UTF_8));
        byte[] kService = Hashing.hmacSha256(kRegion, service.getBytes(UTF_8));
        byte[] kSigning = Hashing.hmacSha256(kService, TERMINATOR.getBytes(UTF_8));
        Arrays.fill(kSecret, (byte) 0);
        Arrays.fill(kDate, (byte) 0);
        Arrays.fill(kRegion, (byte) 0);
        Arrays.fill(kService, (byte) 0);
        return kSigning;
    }

    /**
     * The canonical request: method, canonical URI, canonical query, one {@code name:value} line per signed header,
     * a blank line, the signed header names joined by ';', and the payload hash, separated by newlines.
     *
     * @param headers all the request's (name, value) pairs; names match case-insensitively and may repeat
     * @param signedHeaders lowercase names, in the order given (which SigV4 requires to be sorted); only these
     *     headers are used. A repeated header's values are joined with ',' in request order; each value is trimmed and
     *     inner runs of whitespace become one space. A signed header absent from {@code headers} gets an empty value.
     * @param canonicalUri already canonical, see {@link #canonicalUri(String)}
     * @param canonicalQuery already canonical, see {@link #canonicalQuery(String)}
     */
    public static String canonicalRequest(String method, String canonicalUri, String canonicalQuery,
                                          List<Map.Entry<String, String>> headers, List<String> signedHeaders,
                                          String payloadSha256Hex) {
        StringBuilder out = new StringBuilder(256);
        out.append(method).append('\n').append(canonicalUri).append('\n').append(canonicalQuery).append('\n');
        for (String name : signedHeaders) {
            out.append(name).append(':');
            boolean first = true;
            for (Map.Entry<String, String> header : headers) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    if (!first) {
                        out.append(',');
                    }
                    appendTrimmedAndCollapsed(out, header.getValue());
                    first = false;
                }
            }
            out.append('\n');
        }
        out.append('\n').append(String.join(";", signedHeaders)).append('\n').append(payloadSha256Hex);
        return out.toString();
    }

    /**
     * The canonical URI of a raw (still percent-encoded, as on the request line) path, the way the AWS SDK signs for
     * every service but S3: the path is normalised ("." and ".." segments and repeated slashes removed, using
     * {@link URI#normalize()} exactly as the SDK does), then each character except '/' is percent-encoded once more
     * (so {@code %20} becomes {@code %2520}); a trailing slash produced only by normalisation is dropped; "" becomes
     * "/". A path {@link URI} cannot parse is used un-normalised (no SDK could have signed it, so verification of such
     * a request simply fails).
     */
    public static String canonicalUri(String rawPath) {
        String path = rawPath == null ? "" : rawPath;
        if (path.isEmpty()) {
            return "/";
        }
        if (path.charAt(0) != '/') {
            path = "/" + path;
        }
        String normalized = path;
        boolean originalEndsWithSlash = path.endsWith("/");
        if (path.indexOf('?') < 0 && path.indexOf('#') < 0) {
            try {
                URI uri = new URI("http://h" + path);
                normalized = uri.normalize().getRawPath();
                originalEndsWithSlash = uri.getPath().endsWith("/");
            } catch (URISyntaxException e) {
                normalized = path;
            }
        }
        if (normalized == null || normalized.isEmpty()) {
            return "/";
        }
        String encoded = UriEncoding.encode(normalized, true);
        if (encoded.length() > 1 && !originalEndsWithSlash && encoded.endsWith("/")) {
            encoded = encoded.substring(0, encoded.length() - 1);
        }
        return encoded;
    }

    /**
     * The canonical query of a raw query string (without the '?'): split on '&amp;', each name and value decoded
     * ('+' is a space, as the AWS SDK reads query strings) and re-encoded per RFC 3986, parameters with an empty name
     * dropped, a name without '=' given an empty value, then sorted by name and then value. {@code null} or "" gives
     * "".
     */
    public static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            String pair = rawQuery.substring(start, end);
            int eq = pair.indexOf('=');
            String name = UriEncoding.decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : UriEncoding.decode(pair.substring(eq + 1), true);
            if (!name.isEmpty()) {
                params.add(new String[] {UriEncoding.encode(name, false), UriEncoding.encode(value, false)});
            }
            start = end + 1;
        }
        params.sort(BY_KEY_THEN_VALUE);
        StringBuilder out = new StringBuilder(rawQuery.length() + 16);
        for (String[] p : params) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(p[0]).append('=').append(p[1]);
        }
        return out.toString();
    }

    /** {@code yyyymmdd/region/service/aws4_request}. */
    public static String scope(String yyyymmdd, String region, String service) {
        return yyyymmdd + '/' + region + '/' + service + '/' + TERMINATOR;
    }

    /** {@code AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex SHA-256 of the canonical request>}. */
    public static String stringToSign(String amzDate, String scope, String canonicalRequestSha256Hex) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + canonicalRequestSha256Hex;
    }

    /** Lowercase hex HMAC-SHA256 of the string to sign under the signing key. */
    public static String signatureHex(byte[] signingKey, String stringToSign) {
        return Hashing.hex(Hashing.hmacSha256(signingKey, stringToSign.getBytes(UTF_8)));
    }

    /** The whitespace the AWS SDK trims and collapses in header values. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\r' || c == '\f';
    }

    private static void appendTrimmedAndCollapsed(StringBuilder out, String value) {
        if (value == null) {
            return;
        }
        boolean pendingSpace = false;
        boolean wroteAny = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isWhitespace(c)) {
                pendingSpace = wroteAny;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
                wroteAny = true;
            }
        }
    }
}
