package dev.coffer.server.sts;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Verifies an OpenID Connect token presented to AssumeRoleWithWebIdentity, with Nimbus
 * JOSE+JWT doing the cryptography.
 *
 * <p>Order matters for what a caller can learn: the token must parse, its issuer must be
 * a provider registered in the role's account, and its signature must verify against that
 * issuer's published keys before any claim is believed. Only then are the audience
 * (one of the provider's client ids) and the expiry checked, so "expired" and "wrong
 * audience" are only ever said about genuine tokens. Asymmetric algorithms only: a token
 * signed with HMAC or {@code none} never verifies.
 */
public final class WebIdentityVerifier {
    /** Tokens are accepted this far past {@code exp} / before {@code nbf}, for clock drift between machines. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Set<JWSAlgorithm> ACCEPTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final JwksSources keys;
    private final Clock clock;

    /** A token that verified: its provider, and the claims trust-policy conditions may test. */
    public record Verified(OidcProvider provider, String subject, String audience, JWTClaimsSet claims) {}

    public WebIdentityVerifier(JwksSources keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * @param providerForIssuer finds the provider registered for an issuer URL in the role's account
     */
    public Verified verify(String token, Function<String, Optional<OidcProvider>> providerForIssuer) {
        SignedJWT jwt;
        JWTClaimsSet unverified;
        try {
            jwt = SignedJWT.parse(token);
            unverified = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
        }
        String issuer = unverified.getIssuer();
        if (issuer == null || issuer.isBlank()) throw invalid("Missing a required claim: iss");
        OidcProvider provider = providerForIssuer.apply(issuer)
                .orElseThrow(() -> invalid("No OpenIDConnect provider found in your account for " + issuer));

        JWTClaimsSet claims = verifySignature(jwt, issuer);
        String audience = matchingAudience(claims.getAudience(), provider.clientIds());
        if (audience == null) throw invalid("Incorrect token audience");
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) throw invalid("Missing a required claim: exp");
        if (!now.isBefore(exp.toInstant().plus(CLOCK_SKEW))) {
            throw new ServiceException(ErrorCode.ExpiredWebIdentityToken, "Token expired: current date/time "
                    + now.getEpochSecond() + " must be before the expiration date/time " + exp.toInstant().getEpochSecond());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(CLOCK_SKEW).isBefore(nbf.toInstant())) {
            throw invalid("The token is not yet valid (nbf " + nbf.toInstant().getEpochSecond() + ")");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) throw invalid("Missing a required claim: sub");
        return new Verified(provider, subject, audience, claims);
    }

    private JWTClaimsSet verifySignature(SignedJWT jwt, String issuer) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ACCEPTED, keys.forIssuer(issuer)));
        processor.setJWTClaimsSetVerifier((claims, context) -> {}); // claims are checked after, with AWS's messages
        try {
            return processor.process(jwt, null);
        } catch (KeySourceException e) {
            throw invalid("Couldn't retrieve verification key from your identity provider,  please reference "
                    + "AssumeRoleWithWebIdentity documentation for requirements");
        } catch (BadJOSEException | JOSEException e) {
            // AWS's wording for a signature that does not verify is not public; this follows its style.
            throw invalid("The web identity token's signature could not be verified with the keys of " + issuer);
        }
    }

    private static String matchingAudience(List<String> audiences, List<String> clientIds) {
        if (audiences == null) return null;
        for (String audience : audiences) {
            if (clientIds.contains(audience)) return audience;
        }
        return null;
    }

    private static ServiceException invalid(String message) {
        return new ServiceException(ErrorCode.InvalidIdentityToken, message);
    }
}
