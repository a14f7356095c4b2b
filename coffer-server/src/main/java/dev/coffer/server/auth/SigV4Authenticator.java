package dev.coffer.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.crypto.Hashing;
import dev.coffer.crypto.MalformedAuthorizationException;
import dev.coffer.crypto.SigV4;
import dev.coffer.crypto.SigV4Authorization;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.api.ApiRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Verifies AWS Signature Version 4 on the Authorization header and yields the caller's
 * {@link Principal}, or throws the error AWS would send: missing, malformed, unknown,
 * expired, mis-scoped or mismatched signatures each have their own code and message.
 * The signature is recomputed from the request and compared in constant time.
 *
 * <p>A request's region is the one in its credential scope; only regions the server
 * accepts are allowed. The signing date may differ from the server clock by at most
 * 15 minutes either way, as in AWS.
 */
public final class SigV4Authenticator {
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /**
     * IAM and STS are global services: an SDK configured with the {@code aws-global} region and an
     * endpoint override signs with that pseudo-region. Their calls are served as us-east-1, where
     * AWS homes them.
     */
    private static final String GLOBAL_REGION = "aws-global";
    private static final String GLOBAL_HOME = "us-east-1";
    private static final java.util.Set<String> GLOBAL_SERVICES = java.util.Set.of("iam", "sts", "organizations");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final CredentialStore credentials;
    private final SessionTokens sessions;
    private final Clock clock;
    private final Predicate<String> acceptedRegion;
    private final Cache<String, byte[]> signingKeys = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();

    /** The authenticated caller and the region its credential scope names. */
    public record Authenticated(Principal principal, String region) {}

    public SigV4Authenticator(CredentialStore credentials, SessionTokens sessions, Clock clock,
                              Predicate<String> acceptedRegion) {
        this.credentials = credentials;
        this.sessions = sessions;
        this.clock = clock;
        this.acceptedRegion = acceptedRegion;
    }

    /**
     * @param signingName the service the request is addressed to; null when the target
     *                    names no known service (the request then fails routing after
     *                    authentication, so unauthenticated callers learn nothing)
     */
    public Authenticated authenticate(ApiRequest request, String signingName) {
        String header = request.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new ServiceException(ErrorCode.MissingAuthenticationTokenException, "Missing Authentication Token");
        }
        String amzDate = request.header("X-Amz-Date");
        SigV4Authorization auth;
        try {
            auth = SigV4Authorization.parse(header, amzDate != null);
        } catch (MalformedAuthorizationException e) {
            throw new ServiceException(ErrorCode.valueOf(e.errorCode()), e.getMessage());
        }
        Instant signedAt = parseAmzDate(amzDate);
        checkSkew(amzDate, signedAt);
        if (!amzDate.startsWith(auth.date())) {
            throw invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + auth.date() + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
        }
        if (signingName != null && !signingName.equals(auth.service())) {
            throw invalidSignature("Credential should be scoped to correct service: '" + signingName + "'. ");
        }
        boolean globalScope = GLOBAL_REGION.equals(auth.region()) && GLOBAL_SERVICES.contains(auth.service());
        if (!globalScope && !acceptedRegion.test(auth.region())) {
            throw invalidSignature("Credential should be scoped to a valid region. ");
        }
        if (!auth.signedHeaders().contains("host")) {
            throw invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        String token = request.header("X-Amz-Security-Token");
        Optional<AccessKeyCredentials> found = token != null
                ? sessions.open(auth.accessKeyId(), token)
                : credentials.find(auth.accessKeyId());
        if (found.isEmpty()) {
            throw new ServiceException(ErrorCode.UnrecognizedClientException, "The security token included in the request is invalid.");
        }
        AccessKeyCredentials creds = found.get();
        Principal.Session session = creds.principal().session();
        if (session != null && !clock.instant().isBefore(session.expiresAt())) {
            // A genuine token (it opened) whose time is up: AWS names expiry rather than invalidity.
            throw new ServiceException(ErrorCode.ExpiredTokenException, "The security token included in the request is expired");
        }
        String canonical = SigV4.canonicalRequest(request.method(), SigV4.canonicalUri(request.path()),
                SigV4.canonicalQuery(request.rawQuery() == null ? "" : request.rawQuery()), request.headers(),
                auth.signedHeaders(), Hashing.sha256Hex(request.body()));
        String scope = SigV4.scope(auth.date(), auth.region(), auth.service());
        String stringToSign = SigV4.stringToSign(amzDate, scope, Hashing.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = signingKeys.get(auth.accessKeyId() + "/" + scope, k -> SigV4.signingKey(
                new String(creds.secretAccessKey().bytes(), StandardCharsets.UTF_8), auth.date(), auth.region(), auth.service()));
        byte[] expected = SigV4.signatureHex(key, stringToSign).getBytes(StandardCharsets.US_ASCII);
        if (!Hashing.constantTimeEquals(expected, auth.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw invalidSignature("The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }
        if (token == null) credentials.recordUse(auth.accessKeyId(), auth.region(), auth.service());
        return new Authenticated(creds.principal(), globalScope ? GLOBAL_HOME : auth.region());
    }

    /** Who a request that failed authentication claimed to be, and the region it named; either may be null. */
    public record Claimed(Principal principal, String region) {}

    /**
     * For the audit record of a request that failed authentication: the principal its access key belongs to,
     * without any verification (so never for a decision), and the region of its credential scope.
     */
    public Claimed claimed(ApiRequest request) {
        String header = request.header("Authorization");
        if (header == null) return new Claimed(null, null);
        SigV4Authorization auth;
        try {
            auth = SigV4Authorization.parse(header, request.header("X-Amz-Date") != null);
        } catch (RuntimeException e) { // MalformedAuthorizationException included
            return new Claimed(null, null);
        }
        String region = GLOBAL_REGION.equals(auth.region()) ? GLOBAL_HOME : auth.region();
        if (region != null && !region.matches("[a-z0-9-]{1,32}")) region = null; // it is the caller's text
        try {
            String token = request.header("X-Amz-Security-Token");
            Optional<AccessKeyCredentials> found = token != null ? sessions.open(auth.accessKeyId(), token)
                    : credentials.find(auth.accessKeyId());
            return new Claimed(found.map(AccessKeyCredentials::principal).orElse(null), region);
        } catch (RuntimeException e) {
            return new Claimed(null, region);
        }
    }

    private static Instant parseAmzDate(String amzDate) {
        try {
            return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ServiceException(ErrorCode.IncompleteSignatureException,
                    "Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'. See http://en.wikipedia.org/wiki/ISO_8601");
        }
    }

    private void checkSkew(String amzDate, Instant signedAt) {
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            throw invalidSignature("Signature expired: " + amzDate + " is now earlier than "
                    + AMZ_DATE.format(now.minus(MAX_SKEW).atOffset(ZoneOffset.UTC)) + " ("
                    + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " - 15 min.)");
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw invalidSignature("Signature not yet current: " + amzDate + " is still later than "
                    + AMZ_DATE.format(now.plus(MAX_SKEW).atOffset(ZoneOffset.UTC)) + " ("
                    + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " + 15 min.)");
        }
    }

    private static ServiceException invalidSignature(String message) {
        return new ServiceException(ErrorCode.InvalidSignatureException, message);
    }
}
