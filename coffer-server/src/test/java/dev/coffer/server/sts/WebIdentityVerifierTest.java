package dev.coffer.server.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.testkit.MutableClock;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Web-identity tokens: genuine ones verify; forged, expired, mis-addressed or malformed ones get STS's errors. */
class WebIdentityVerifierTest {
    private static final String ISSUER = "https://oidc.cluster.example/id/ABC";
    private static final OidcProvider PROVIDER = new OidcProvider(
            "arn:aws:iam::111122223333:oidc-provider/oidc.cluster.example/id/ABC", ISSUER, List.of("sts.amazonaws.com"));
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private static RSAKey issuerKey;
    private static RSAKey attackerKey;
    @TempDir
    static Path dir;
    private static Path jwksFile;

    private final MutableClock clock = new MutableClock(NOW);

    @BeforeAll
    static void keys() throws Exception {
        issuerKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        attackerKey = new RSAKeyGenerator(2048).keyID("k1").generate(); // same kid, different key
        jwksFile = dir.resolve("jwks.json");
        Files.writeString(jwksFile, new JWKSet(issuerKey.toPublicJWK()).toString());
    }

    private WebIdentityVerifier verifier() {
        return new WebIdentityVerifier(new JwksSources(Map.of(ISSUER, jwksFile.toString())), clock);
    }

    private static Optional<OidcProvider> registered(String issuer) {
        return ISSUER.equals(issuer) ? Optional.of(PROVIDER) : Optional.empty();
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("system:serviceaccount:payments:api")
                .audience("sts.amazonaws.com").issueTime(Date.from(NOW.minusSeconds(10)))
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private ServiceException refusal(String token) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> verifier().verify(token, WebIdentityVerifierTest::registered));
        assertThat(thrown).isInstanceOf(ServiceException.class);
        return (ServiceException) thrown;
    }

    @Test
    void aGenuineToken_verifies_andYieldsItsProviderSubjectAndAudience() throws Exception {
        WebIdentityVerifier.Verified verified = verifier().verify(sign(issuerKey, claims().build()), WebIdentityVerifierTest::registered);
        assertThat(verified.provider()).isEqualTo(PROVIDER);
        assertThat(verified.subject()).isEqualTo("system:serviceaccount:payments:api");
        assertThat(verified.audience()).isEqualTo("sts.amazonaws.com");
    }

    @Test
    void aTokenSignedWithAnotherKey_isRefusedAsInvalid() throws Exception {
        ServiceException e = refusal(sign(attackerKey, claims().build()));
        assertThat(e.code()).isEqualTo(ErrorCode.InvalidIdentityToken);
    }

    @Test
    void anUnsignedOrHmacToken_neverVerifies() throws Exception {
        assertThat(refusal(new PlainJWT(claims().build()).serialize()).code()).isEqualTo(ErrorCode.InvalidIdentityToken);
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        hmac.sign(new MACSigner(new byte[32]));
        assertThat(refusal(hmac.serialize()).code()).isEqualTo(ErrorCode.InvalidIdentityToken);
    }

    @Test
    void anExpiredToken_getsExpiredTokenException_withStsWording() throws Exception {
        String token = sign(issuerKey, claims().expirationTime(Date.from(NOW.minusSeconds(3600))).build());
        ServiceException e = refusal(token);
        assertThat(e.code()).isEqualTo(ErrorCode.ExpiredWebIdentityToken);
        assertThat(e.getMessage()).isEqualTo("Token expired: current date/time " + NOW.getEpochSecond()
                + " must be before the expiration date/time " + NOW.minusSeconds(3600).getEpochSecond());
    }

    @Test
    void aTokenForAnotherAudience_isRefused() throws Exception {
        ServiceException e = refusal(sign(issuerKey, claims().audience("some-other-app").build()));
        assertThat(e.code()).isEqualTo(ErrorCode.InvalidIdentityToken);
        assertThat(e.getMessage()).isEqualTo("Incorrect token audience");
    }

    @Test
    void aTokenFromAnUnregisteredIssuer_isRefused_namingTheIssuer() throws Exception {
        ServiceException e = refusal(sign(issuerKey, claims().issuer("https://evil.example").build()));
        assertThat(e.code()).isEqualTo(ErrorCode.InvalidIdentityToken);
        assertThat(e.getMessage()).isEqualTo("No OpenIDConnect provider found in your account for https://evil.example");
    }

    @Test
    void somethingThatIsNotAJwt_isRefused() {
        ServiceException e = refusal("not-a-jwt");
        assertThat(e.code()).isEqualTo(ErrorCode.InvalidIdentityToken);
    }

    @Test
    void aRotatedJwksFile_isPickedUpWithoutRestart() throws Exception {
        Path rotating = dir.resolve("rotating.json");
        Files.writeString(rotating, new JWKSet(issuerKey.toPublicJWK()).toString());
        WebIdentityVerifier verifier = new WebIdentityVerifier(new JwksSources(Map.of(ISSUER, rotating.toString())), clock);
        RSAKey next = new RSAKeyGenerator(2048).keyID("k2").generate();
        String tokenFromNextKey = sign(next, claims().build());
        assertThatThrownBy(() -> verifier.verify(tokenFromNextKey, WebIdentityVerifierTest::registered))
                .isInstanceOf(ServiceException.class);
        Files.writeString(rotating, new JWKSet(List.of(issuerKey.toPublicJWK(), next.toPublicJWK())).toString());
        Files.setLastModifiedTime(rotating, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(verifier.verify(tokenFromNextKey, WebIdentityVerifierTest::registered).subject())
                .isEqualTo("system:serviceaccount:payments:api");
    }

    @Test
    void keysAreFoundThroughOidcDiscovery_whenTheIssuerIsNotPinned() throws Exception {
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String issuer = "http://127.0.0.1:" + idp.getAddress().getPort() + "/idp";
        idp.createContext("/idp/.well-known/openid-configuration", ex -> {
            byte[] body = ("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/keys\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        idp.createContext("/idp/keys", ex -> {
            byte[] body = new JWKSet(issuerKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        idp.start();
        try {
            OidcProvider provider = new OidcProvider("arn:aws:iam::111122223333:oidc-provider/127.0.0.1/idp", issuer,
                    List.of("sts.amazonaws.com"));
            WebIdentityVerifier verifier = new WebIdentityVerifier(new JwksSources(Map.of()), clock);
            String token = sign(issuerKey, claims().issuer(issuer).build());
            assertThat(verifier.verify(token, i -> i.equals(issuer) ? Optional.of(provider) : Optional.empty()).subject())
                    .isEqualTo("system:serviceaccount:payments:api");
        } finally {
            idp.stop(0);
        }
    }

    @Test
    void anUnreachableIssuer_givesStsKeyRetrievalMessage() throws Exception {
        String issuer = "http://127.0.0.1:9/nowhere"; // discard port: nothing listens
        OidcProvider provider = new OidcProvider("arn:aws:iam::111122223333:oidc-provider/127.0.0.1/nowhere", issuer,
                List.of("sts.amazonaws.com"));
        WebIdentityVerifier verifier = new WebIdentityVerifier(new JwksSources(Map.of()), clock);
        String token = sign(issuerKey, claims().issuer(issuer).build());
        assertThatThrownBy(() -> verifier.verify(token, i -> Optional.of(provider)))
                .isInstanceOf(ServiceException.class)
                .hasMessageStartingWith("Couldn't retrieve verification key from your identity provider");
    }
}
