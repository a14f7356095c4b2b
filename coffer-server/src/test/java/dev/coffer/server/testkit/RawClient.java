package dev.coffer.server.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.crypto.SigV4Signer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * A raw AWS JSON 1.1 client for tests that need to send what the SDK never would: any body,
 * any target, and signatures broken in one precise way. Requests are signed with coffer-crypto's
 * {@link SigV4Signer} (the same bytes the AWS SDK v2 signer produces), with knobs that each
 * break one thing: no Authorization, a garbage Authorization, a wrong secret, an unknown key id,
 * a shifted signing time, a wrong scope region or service, a body changed after signing, a
 * session token.
 *
 * <p>Nothing here prints a request body or a credential: a failing assertion shows the response
 * only, and responses never carry secret values unless the test asked for one.
 */
public final class RawClient {
    public static final String SERVICE = "secretsmanager";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final AwsBasicCredentials credentials;
    private final HttpClient http;

    public RawClient(URI endpoint, AwsBasicCredentials credentials) {
        this(endpoint, credentials, null);
    }

    /** @param ssl the TLS context to trust an https endpoint with; null for the JDK default */
    public RawClient(URI endpoint, AwsBasicCredentials credentials, SSLContext ssl) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade headers: the request is exactly what was signed
                .connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) b.sslContext(ssl);
        this.http = b.build();
    }

    public static RawClient of(TestServer server) {
        return new RawClient(server.endpoint(), server.adminCredentials());
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A correctly signed {@code POST /} for {@code secretsmanager.<operation>} with this JSON body. */
    public Response call(String operation, String jsonBody) {
        return request(operation).body(jsonBody).send();
    }

    /** A request to adjust before {@link Request#send()}; by default a correctly signed call with body {@code {}}. */
    public Request request(String operation) {
        return new Request(operation);
    }

    /** One request under construction. Each knob breaks or changes exactly one thing. */
    public final class Request {
        private String method = "POST";
        private String path = "/";
        private String target;
        private byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        private String contentType = CONTENT_TYPE;
        private boolean sign = true;
        private String authorizationOverride;
        private String accessKeyId = credentials.accessKeyId();
        private String secretKey = credentials.secretAccessKey();
        private String sessionToken;
        private Instant signedAt;
        private String region = TestServer.REGION;
        private String service = SERVICE;
        private byte[] bodyAfterSigning;
        private boolean chunked;
        private final Map<String, String> signedHeaders = new LinkedHashMap<>();
        private final Map<String, String> unsignedHeaders = new LinkedHashMap<>();
        private final List<Map.Entry<String, String>> appendedHeaders = new ArrayList<>();

        private Request(String operation) {
            this.target = operation == null ? null : SERVICE + "." + operation;
        }

        public Request body(String json) {
            this.body = json.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Request body(byte[] raw) {
            this.body = raw.clone();
            return this;
        }

        public Request method(String method) {
            this.method = method;
            return this;
        }

        public Request path(String path) {
            this.path = path;
            return this;
        }

        /** The whole X-Amz-Target value, e.g. {@code secretsmanager.NoSuchThing}. */
        public Request target(String rawTarget) {
            this.target = rawTarget;
            return this;
        }

        public Request noTarget() {
            this.target = null;
            return this;
        }

        public Request contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        /** A further header, included in the signature. */
        public Request header(String name, String value) {
            signedHeaders.put(name, value);
            return this;
        }

        /** Streams the body with chunked transfer encoding, so the server sees no Content-Length. */
        public Request chunked() {
            this.chunked = true;
            return this;
        }

        /** Sends this header value instead of the one that was signed (or adds it, unsigned). */
        public Request headerAfterSigning(String name, String value) {
            unsignedHeaders.put(name, value);
            return this;
        }

        /** Leaves a header out of what is sent, though it was signed (e.g. X-Amz-Date). */
        public Request withoutHeaderAfterSigning(String name) {
            unsignedHeaders.put(name, null);
            return this;
        }

        /** Sends one more header line after signing, beside any of the same name (a duplicate). */
        public Request appendHeaderAfterSigning(String name, String value) {
            appendedHeaders.add(Map.entry(name, value));
            return this;
        }

        /** Sends no Authorization (and no X-Amz-Date) at all. */
        public Request unsigned() {
            this.sign = false;
            return this;
        }

        /** Replaces the Authorization header with this text (X-Amz-Date is still sent). */
        public Request authorization(String raw) {
            this.authorizationOverride = raw;
            return this;
        }

        /** Signs with this secret instead of the real one. */
        public Request secretKey(String secret) {
            this.secretKey = secret;
            return this;
        }

        public Request accessKeyId(String keyId) {
            this.accessKeyId = keyId;
            return this;
        }

        /** Signs (and sends X-Amz-Security-Token) with a session token. */
        public Request sessionToken(String token) {
            this.sessionToken = token;
            return this;
        }

        /** The signing time, sent as X-Amz-Date and used in the credential scope. Default: now. */
        public Request signedAt(Instant when) {
            this.signedAt = when;
            return this;
        }

        public Request region(String region) {
            this.region = region;
            return this;
        }

        public Request service(String service) {
            this.service = service;
            return this;
        }

        /** Signs {@link #body} but sends this body instead. */
        public Request bodyAfterSigning(String json) {
            this.bodyAfterSigning = json.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Response send() {
            String host = endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
            Map<String, String> headers = new LinkedHashMap<>();
            if (contentType != null) headers.put("Content-Type", contentType);
            if (target != null) headers.put("X-Amz-Target", target);
            headers.putAll(signedHeaders);
            Map<String, String> all = new LinkedHashMap<>(headers);
            if (sign) {
                Map<String, String> auth = SigV4Signer.sign(method, host, path, null, headers, body,
                        new SigV4Signer.Credentials(accessKeyId, secretKey, sessionToken), region, service,
                        signedAt != null ? signedAt : Instant.now());
                all.putAll(auth);
                if (authorizationOverride != null) all.put("Authorization", authorizationOverride);
            }
            unsignedHeaders.forEach((name, value) -> {
                all.keySet().removeIf(name::equalsIgnoreCase);
                if (value != null) all.put(name, value);
            });
            byte[] sent = bodyAfterSigning != null ? bodyAfterSigning : body;
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30));
            all.forEach(b::header);
            appendedHeaders.forEach(h -> b.header(h.getKey(), h.getValue()));
            if ("GET".equals(method) && sent.length == 0) b.GET();
            else if (chunked) b.method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(sent)));
            else b.method(method, HttpRequest.BodyPublishers.ofByteArray(sent));
            try {
                HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                return Response.of(r.statusCode(), r.headers(), r.body());
            } catch (IOException e) {
                throw new UncheckedIOException("request to " + endpoint + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /**
     * An answer: status, headers, the body as text and as JSON (a missing node when the body
     * is not JSON). {@link #toString()} is what AssertJ shows on failure.
     */
    public record Response(int status, HttpHeaders headers, String body, JsonNode json) {
        static Response of(int status, HttpHeaders headers, byte[] raw) {
            String text = new String(raw, StandardCharsets.UTF_8);
            JsonNode json;
            try {
                json = raw.length == 0 ? JSON.missingNode() : JSON.readTree(raw);
            } catch (IOException e) {
                json = JSON.missingNode();
            }
            return new Response(status, headers, text, json == null ? JSON.missingNode() : json);
        }

        /** {@code __type} of an error body, or null. */
        public String errorType() {
            JsonNode t = json.get("__type");
            return t == null ? null : t.asText();
        }

        /** The error message ({@code Message} or {@code message}), or null. */
        public String message() {
            JsonNode m = json.has("Message") ? json.get("Message") : json.get("message");
            return m == null || m.isNull() ? null : m.asText();
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return "Response[" + status + ", x-amzn-ErrorType=" + header("x-amzn-ErrorType") + ", body="
                    + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body) + "]";
        }
    }
}
