package dev.coffer.crypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed AWS SigV4 {@code Authorization} header:
 * {@code AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=hex}.
 *
 * <p>Guarantees: {@link #parse} accepts only headers AWS would get past its syntactic checks (algorithm
 * AWS4-HMAC-SHA256, all three parameters present, a five-part credential ending in {@code aws4_request}, {@code host}
 * among the signed headers) and otherwise throws {@link MalformedAuthorizationException} with AWS's own wording, so
 * clients see the errors they know. It checks syntax only: whether the region, service, date and key are right, and
 * whether the signature verifies, is the server's business.
 *
 * <p>Wording: the "requires ... parameter", "requires existence of either a 'X-Amz-Date' or a 'Date' header",
 * "not a valid key=value pair", "Unsupported AWS 'algorithm'", "Credential must have exactly 5 slash-delimited
 * elements", "valid terminator" and "'Host' must be a 'SignedHeader'" messages are the texts AWS JSON services have
 * been observed to return (without AWS's occasional trailing space). The duplicate-parameter message is our own: no
 * AWS wording for it could be confirmed.
 *
 * @param date the credential scope's date, {@code yyyymmdd} (not validated here)
 * @param signedHeaders as sent, in order
 */
public record SigV4Authorization(String accessKeyId, String date, String region, String service, String terminator,
                                 List<String> signedHeaders, String signature) {

    private static final String CREDENTIAL = "Credential";
    private static final String SIGNED_HEADERS = "SignedHeaders";
    private static final String SIGNATURE = "Signature";

    public SigV4Authorization {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(terminator, "terminator");
        signedHeaders = List.copyOf(signedHeaders);
        Objects.requireNonNull(signature, "signature");
    }

    /** {@code date/region/service/terminator}, as it appears in the string to sign. */
    public String scope() {
        return date + '/' + region + '/' + service + '/' + terminator;
    }

    /**
     * Parses an Authorization header value, for a request known to carry an {@code X-Amz-Date} or {@code Date}
     * header.
     *
     * @throws MalformedAuthorizationException with AWS's message if the header is not well-formed
     */
    public static SigV4Authorization parse(String authorizationHeader) {
        return parse(authorizationHeader, true);
    }

    /**
     * Parses an Authorization header value. AWS reports a missing date header in the same message as missing
     * parameters, so say whether the request has one.
     *
     * @param requestHasDateHeader whether the request carries an {@code X-Amz-Date} or {@code Date} header
     * @throws MalformedAuthorizationException with AWS's message if the header is not well-formed (or there is no
     *     date header)
     */
    public static SigV4Authorization parse(String authorizationHeader, boolean requestHasDateHeader) {
        String header = Objects.requireNonNull(authorizationHeader, "authorizationHeader");
        String trimmed = header.strip();
        int space = firstWhitespace(trimmed);
        String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
        String rest = space < 0 ? "" : trimmed.substring(space + 1);

        Map<String, String> params = parameters(rest, header);

        StringBuilder missing = new StringBuilder();
        for (String name : List.of(CREDENTIAL, SIGNATURE, SIGNED_HEADERS)) {
            String value = params.get(name);
            // An empty SignedHeaders is "present" for AWS; an empty Credential or Signature is not.
            if (value == null || (value.isEmpty() && !name.equals(SIGNED_HEADERS))) {
                missing.append("Authorization header requires '").append(name).append("' parameter. ");
            }
        }
        if (!requestHasDateHeader) {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }
        if (!missing.isEmpty()) {
            throw incomplete(missing + "Authorization=" + header);
        }

        List<String> signedHeaders = params.get(SIGNED_HEADERS).isEmpty()
            ? List.of()
            : Arrays.asList(params.get(SIGNED_HEADERS).split(";", -1));
        if (signedHeaders.stream().noneMatch("host"::equalsIgnoreCase)) {
            throw invalid("'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }

        if (!SigV4.ALGORITHM.equals(algorithm)) {
            throw incomplete("Unsupported AWS 'algorithm': '" + algorithm + "' (only " + SigV4.ALGORITHM + " for now).");
        }

        String credential = params.get(CREDENTIAL);
        // String.split drops trailing empty strings, which matches AWS ignoring trailing slashes in the credential.
        String[] parts = credential.split("/");
        if (parts.length != 5) {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, "
                + "e.g. keyid/date/region/service/term, got '" + credential + "'");
        }
        if (!SigV4.TERMINATOR.equals(parts[4])) {
            throw invalid("Credential should be scoped with a valid terminator: '" + SigV4.TERMINATOR + "', not '"
                + parts[4] + "'.");
        }
        return new SigV4Authorization(parts[0], parts[1], parts[2], parts[3], parts[4], signedHeaders,
            params.get(SIGNATURE));
    }

    /** The comma-separated {@code key=value} parameters after the algorithm. */
    private static Map<String, String> parameters(String rest, String header) {
        Map<String, String> params = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (String component : rest.split(",")) {
            String c = component.strip();
            if (c.isEmpty()) {
                continue;
            }
            int eq = c.indexOf('=');
            if (eq < 0) {
                throw incomplete("'" + c + "' not a valid key=value pair (missing equal-sign) in Authorization header: '"
                    + header + "'.");
            }
            String key = c.substring(0, eq).strip();
            if (seen.contains(key) && isKnown(key)) {
                // No confirmed AWS wording for this; a repeated parameter is ambiguous, so it is refused.
                throw incomplete("Authorization header has a repeated '" + key + "' parameter. Authorization=" + header);
            }
            seen.add(key);
            params.put(key, c.substring(eq + 1).strip());
        }
        return params;
    }

    private static boolean isKnown(String key) {
        return key.equals(CREDENTIAL) || key.equals(SIGNED_HEADERS) || key.equals(SIGNATURE);
    }

    private static int firstWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static MalformedAuthorizationException incomplete(String message) {
        return new MalformedAuthorizationException(MalformedAuthorizationException.INCOMPLETE_SIGNATURE, message);
    }

    private static MalformedAuthorizationException invalid(String message) {
        return new MalformedAuthorizationException(MalformedAuthorizationException.INVALID_SIGNATURE, message);
    }
}
