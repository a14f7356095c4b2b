package dev.coffer.server.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * An OpenID Connect issuer for tests, like a Kubernetes cluster's service-account issuer: an
 * RSA key, its public JWKS written to a file (which Coffer is pinned to with
 * {@code --oidc-jwks ISSUER=FILE}), and signed tokens with the claims a test chooses.
 */
public final class TestIssuer {
    private final String url;
    private final RSAKey key;
    private final Path jwksFile;

    public TestIssuer(String url, Path dir) {
        this.url = url;
        try {
            this.key = new RSAKeyGenerator(2048).keyID("test-key-1").generate();
            this.jwksFile = dir.resolve("jwks-" + Math.abs(url.hashCode()) + ".json");
            Files.writeString(jwksFile, new JWKSet(key.toPublicJWK()).toString());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return url;
    }

    /** The pin to give the server: issuer URL → JWKS file. */
    public Map<String, String> pin() {
        return Map.of(url, jwksFile.toString());
    }

    /** A token for {@code subject} and {@code audience}, valid for an hour from {@code now}. */
    public String token(String subject, String audience, Instant now) {
        return sign(claims(subject, audience, now).build(), key);
    }

    public JWTClaimsSet.Builder claims(String subject, String audience, Instant now) {
        return new JWTClaimsSet.Builder().issuer(url).subject(subject).audience(audience)
                .issueTime(Date.from(now.minusSeconds(5))).expirationTime(Date.from(now.plus(Duration.ofHours(1))));
    }

    public String sign(JWTClaimsSet claims) {
        return sign(claims, key);
    }

    /** Signs with a key of the same id that the issuer never published: a forgery. */
    public String forge(JWTClaimsSet claims) {
        try {
            return sign(claims, new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWTClaimsSet claims, RSAKey with) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(with));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
