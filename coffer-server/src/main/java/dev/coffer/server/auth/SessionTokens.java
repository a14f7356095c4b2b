package dev.coffer.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.keyring.Keyring;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Temporary credentials (STS sessions) as self-contained tokens.
 *
 * <p>A session token is a keyring envelope of everything the session is: its principal,
 * the session's fixed attributes (role, name, tags, session policies, expiry) and its
 * secret access key. Nothing is stored: any node with the keyring opens a token and
 * verifies the request's signature with the secret inside, so sessions need no database
 * read and survive any node. The envelope is authenticated encryption bound to the
 * session's access key id, so a forged or altered token, or a genuine token presented with
 * another key id, does not open. As in AWS, a session cannot be revoked one by one; it
 * ends at its expiry (policies on the role can still deny it at once).
 */
public final class SessionTokens {
    private static final String KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int FORMAT = 1;

    private final Keyring keyring;
    private final SecureRandom random;
    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final Cache<String, Optional<AccessKeyCredentials>> opened =
            Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofMinutes(15)).build();

    /** Newly issued credentials; the secret and the token are shown to the caller once. */
    public record Issued(Principal principal, SecretBytes secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "Issued[" + principal.accessKeyId() + "]";
        }
    }

    /** What the sealed token holds. Field names are short: the token travels on every request. */
    record Claims(int v, String akid, byte[] sk, String acct, String arn, String uid, Principal.Kind kind,
                  String issuer, String name, long iat, long exp, Map<String, String> tags, Set<String> transitive,
                  String policy, List<String> policyArns, String sourceIdentity, String provider) {}

    public SessionTokens(Keyring keyring, SecureRandom random) {
        this.keyring = keyring;
        this.random = random;
    }

    /**
     * Issues credentials for a principal whose {@link Principal#session()} says what the
     * session is; the principal's access key id is replaced by the new one.
     */
    public Issued issue(String accountId, String arn, String userId, Principal.Kind kind, Principal.Session session) {
        String accessKeyId = newAccessKeyId();
        byte[] secret = newSecret();
        Claims claims = new Claims(FORMAT, accessKeyId, secret, accountId, arn, userId, kind, session.issuerArn(),
                session.sessionName(), session.issuedAt().toEpochMilli(), session.expiresAt().toEpochMilli(),
                session.tags(), session.transitiveTagKeys(), session.sessionPolicy(), session.sessionPolicyArns(),
                session.sourceIdentity(), session.federatedProvider());
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a session", e);
        }
        String token;
        try {
            token = Base64.getEncoder().encodeToString(keyring.sealSessionToken(accessKeyId, json));
        } finally {
            Arrays.fill(json, (byte) 0);
        }
        Principal principal = new Principal(accountId, arn, userId, accessKeyId, kind, session);
        return new Issued(principal, SecretBytes.wrap(secret), token);
    }

    /** Opens a token presented with an access key id; empty if it is not a genuine token for that key. */
    Optional<AccessKeyCredentials> open(String accessKeyId, String token) {
        return opened.get(accessKeyId + ":" + token, k -> decode(accessKeyId, token));
    }

    private Optional<AccessKeyCredentials> decode(String accessKeyId, String token) {
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try (SecretBytes json = keyring.openSessionToken(accessKeyId, sealed)) {
            Claims c = mapper.readValue(json.bytes(), Claims.class);
            if (c.v() != FORMAT || !accessKeyId.equals(c.akid())) return Optional.empty();
            Principal.Session session = new Principal.Session(c.issuer(), c.name(), Instant.ofEpochMilli(c.iat()),
                    Instant.ofEpochMilli(c.exp()), c.tags(), c.transitive(), c.policy(), c.policyArns(),
                    c.sourceIdentity(), c.provider());
            Principal principal = new Principal(c.acct(), c.arn(), c.uid(), accessKeyId, c.kind(), session);
            SecretBytes secret = SecretBytes.wrap(c.sk());
            return Optional.of(new AccessKeyCredentials(principal, secret));
        } catch (IOException | RuntimeException e) { // DecryptionFailedException among them: forged or altered
            return Optional.empty();
        }
    }

    private String newAccessKeyId() {
        StringBuilder id = new StringBuilder("ASIA");
        for (int i = 0; i < 16; i++) id.append(KEY_ID_ALPHABET.charAt(random.nextInt(KEY_ID_ALPHABET.length())));
        return id.toString();
    }

    private byte[] newSecret() {
        byte[] raw = new byte[30];
        random.nextBytes(raw);
        try {
            return Base64.getEncoder().encode(raw); // 40 characters, like an AWS secret key
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
