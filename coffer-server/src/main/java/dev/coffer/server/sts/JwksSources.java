package dev.coffer.server.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the signing keys of each trusted OpenID Connect issuer come from.
 *
 * <p>By default an issuer's keys are found the standard way: its discovery document
 * ({@code ISSUER/.well-known/openid-configuration}) names a {@code jwks_uri}, which is
 * fetched and cached by Nimbus's JWK source (refreshed ahead of expiry, re-fetched when a
 * token names an unknown key id, rate-limited so a stream of forged key ids cannot make
 * Coffer hammer the issuer). An operator may instead pin an issuer to a JWKS file — the
 * air-gapped case, e.g. a Kubernetes cluster's {@code /openid/v1/jwks} saved to disk — or
 * to an explicit JWKS URL. A pinned file is re-read when it changes, so key rotation is a
 * file copy.
 */
public final class JwksSources {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, String> pinned;
    private final Map<String, JWKSource<SecurityContext>> sources = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * @param pinned issuer URL → a JWKS file path or an http(s) URL of a JWKS document; issuers
     *               not named here use OIDC discovery
     */
    public JwksSources(Map<String, String> pinned) {
        this.pinned = Map.copyOf(pinned);
    }

    /** The key source for an issuer; discovery happens on first use, not here. */
    public JWKSource<SecurityContext> forIssuer(String issuer) {
        return sources.computeIfAbsent(issuer, this::create);
    }

    private JWKSource<SecurityContext> create(String issuer) {
        String location = pinned.get(issuer);
        if (location == null) return new DiscoveredSource(issuer);
        if (location.startsWith("https://") || location.startsWith("http://")) return remote(location);
        return new FileSource(Path.of(location));
    }

    private static JWKSource<SecurityContext> remote(String jwksUri) {
        try {
            URL url = URI.create(jwksUri).toURL();
            return JWKSourceBuilder.create(url).retrying(true).build();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a JWKS URL: " + jwksUri, e);
        }
    }

    /** Resolves the issuer's jwks_uri from its discovery document once, then behaves as a remote source. */
    private final class DiscoveredSource implements JWKSource<SecurityContext> {
        private final String issuer;
        private volatile JWKSource<SecurityContext> delegate;

        DiscoveredSource(String issuer) {
            this.issuer = issuer;
        }

        @Override
        public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
            JWKSource<SecurityContext> source = delegate;
            if (source == null) {
                source = remote(discoverJwksUri());
                delegate = source;
            }
            return source.get(selector, context);
        }

        private String discoverJwksUri() throws KeySourceException {
            String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            try {
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-configuration"))
                        .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new KeySourceException("discovery for " + issuer + " answered HTTP " + response.statusCode());
                }
                JsonNode document = mapper.readTree(response.body());
                JsonNode jwksUri = document.get("jwks_uri");
                if (jwksUri == null || !jwksUri.isTextual()) {
                    throw new KeySourceException("the discovery document of " + issuer + " names no jwks_uri");
                }
                return jwksUri.asText();
            } catch (IOException | IllegalArgumentException e) {
                throw new KeySourceException("discovery for " + issuer + " failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeySourceException("interrupted while discovering " + issuer, e);
            }
        }
    }

    /** A JWKS file, re-read whenever its modification time changes. */
    private static final class FileSource implements JWKSource<SecurityContext> {
        private final Path file;
        private volatile FileTime loadedAt;
        private volatile JWKSet keys;

        FileSource(Path file) {
            this.file = file;
        }

        @Override
        public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
            try {
                FileTime modified = Files.getLastModifiedTime(file);
                if (keys == null || !modified.equals(loadedAt)) {
                    keys = JWKSet.parse(Files.readString(file));
                    loadedAt = modified;
                }
            } catch (IOException | ParseException e) {
                throw new KeySourceException("cannot read the JWKS file " + file + ": " + e.getMessage(), e);
            }
            return selector.select(keys);
        }
    }
}
