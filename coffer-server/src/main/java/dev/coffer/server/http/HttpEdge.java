package dev.coffer.server.http;

import dev.coffer.server.api.ApiRequest;
import dev.coffer.server.request.RequestPipeline;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP edge. It knows nothing about secrets: it routes {@code POST /} to the request
 * pipeline, serves {@code GET /health/live}, {@code GET /health/ready} (also {@code /health}) and
 * {@code GET /metrics}, limits body size,
 * terminates TLS, and stamps each request with an id. Handlers run on virtual threads,
 * so the pipeline can block on the store without tying up platform threads.
 */
public final class HttpEdge implements AutoCloseable {
    /** The largest legitimate request (a 64 KiB binary value, base64, plus metadata) is far below this. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final long STOP_TIMEOUT_MS = 10_000;
    /** How much of an oversized body is read and discarded so its sender gets the 413 cleanly. */
    private static final long DRAIN_LIMIT = 64L << 20;
    private static final int MAX_THREADS = 256;
    private static final int MIN_THREADS = 16;

    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;

    public HttpEdge(String host, int port, KeyStore tlsKeyStore, char[] keyStorePassword, RequestPipeline pipeline,
                    PrometheusMeterRegistry metrics, HealthProbe health) {
        // Handlers run on virtual threads. Measured against Jetty's platform pool (BENCHMARKS.md):
        // 24k vs 10k GetSecretValue/s on 2 cores, at a third of the CPU per request, because a
        // platform-thread handoff costs kernel context switches on every request.
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("coffer-http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(true);
        tls = tlsKeyStore != null;
        if (tls) {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            config.addCustomizer(secure);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(tlsKeyStore);
            ssl.setKeyStorePassword(new String(keyStorePassword));
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            connector = new ServerConnector(server, ssl, new HttpConnectionFactory(config));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(config));
        }
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        // Graceful: on stop, refuse new requests but let in-flight ones finish (up to the stop timeout),
        // so a SIGTERM never cuts off a write between its commit and its answer.
        server.setHandler(new GracefulHandler(new EdgeHandler(pipeline, metrics, health)));
        server.setStopTimeout(STOP_TIMEOUT_MS);
    }

    public void start() throws Exception { // Jetty's start() declares Exception
        server.start();
    }

    /** The base URL clients use, with the port actually bound. */
    public URI endpoint() {
        String host = connector.getHost();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + connector.getLocalPort());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the HTTP server failed", e);
        }
    }

    private static final class EdgeHandler extends Handler.Abstract {
        private final RequestPipeline pipeline;
        private final PrometheusMeterRegistry metrics;
        private final HealthProbe health;

        EdgeHandler(RequestPipeline pipeline, PrometheusMeterRegistry metrics, HealthProbe health) {
            this.pipeline = pipeline;
            this.metrics = metrics;
            this.health = health;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = request.getHttpURI().getPath();
            String method = request.getMethod();
            String requestId = newRequestId();
            response.getHeaders().put("x-amzn-RequestId", requestId);
            if ("GET".equals(method) && "/health/live".equals(path)) {
                boolean live = health.live();
                send(response, callback, live ? 200 : 503, "application/json",
                        ("{\"status\":\"" + (live ? "live" : "stopping") + "\"}").getBytes(StandardCharsets.UTF_8));
                return true;
            }
            if ("GET".equals(method) && ("/health/ready".equals(path) || "/health".equals(path))) {
                HealthProbe.Readiness readiness = health.readiness();
                StringBuilder body = new StringBuilder("{\"status\":\"").append(readiness.ready() ? "ok" : "unavailable").append('"');
                readiness.checks().forEach((check, state) -> body.append(",\"").append(check).append("\":\"").append(state).append('"'));
                send(response, callback, readiness.ready() ? 200 : 503, "application/json",
                        body.append('}').toString().getBytes(StandardCharsets.UTF_8));
                return true;
            }
            if ("GET".equals(method) && "/metrics".equals(path)) {
                send(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape().getBytes(StandardCharsets.UTF_8));
                return true;
            }
            if (!"POST".equals(method) || !"/".equals(path)) {
                try (InputStream in = Content.Source.asInputStream(request)) {
                    discardBody(in, response);
                }
                send(response, callback, 404, "application/json", error("UnknownOperationException",
                        "No API at this method and path; AWS APIs are served at POST /."));
                return true;
            }
            byte[] body;
            long length = request.getLength();
            try (InputStream in = Content.Source.asInputStream(request)) {
                if (length > MAX_BODY_BYTES) {
                    refuseTooLarge(in, response, callback);
                    return true;
                }
                // Sized from Content-Length when there is one, so a small request costs a small buffer;
                // a chunked body is read up to one byte past the limit, to tell "too large".
                body = length >= 0 ? in.readNBytes((int) length) : in.readNBytes(MAX_BODY_BYTES + 1);
                if (body.length > MAX_BODY_BYTES) {
                    refuseTooLarge(in, response, callback);
                    return true;
                }
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>(request.getHeaders().size());
            for (HttpField field : request.getHeaders()) headers.add(Map.entry(field.getName(), field.getValue()));
            String sourceIp = Request.getRemoteAddr(request);
            ApiRequest api = new ApiRequest(method, path, request.getHttpURI().getQuery(), headers, body, sourceIp,
                    requestId, request.isSecure());
            RequestPipeline.Response answer = pipeline.handle(api);
            if (answer.errorType() != null) response.getHeaders().put("x-amzn-ErrorType", answer.errorType());
            send(response, callback, answer.status(), answer.contentType(), answer.body());
            return true;
        }

        private static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
        }

        /** Answers 413, after reading and discarding the rest of the body (see {@link #discardBody}). */
        private static void refuseTooLarge(InputStream in, Response response, Callback callback) throws IOException {
            discardBody(in, response);
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            send(response, callback, 413, "application/json", tooLarge());
        }

        /**
         * Reads and throws away a body the answer does not need. A client still writing its body when
         * the server answers and closes sees a broken pipe instead of the answer, so every body is
         * consumed — up to {@link #DRAIN_LIMIT}; past that the connection is closed after the answer.
         */
        private static void discardBody(InputStream in, Response response) throws IOException {
            long drained = 0;
            byte[] sink = new byte[8192];
            for (int n; drained < DRAIN_LIMIT && (n = in.read(sink)) > 0; ) drained += n;
            if (drained >= DRAIN_LIMIT) response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }

        private static byte[] tooLarge() {
            return error("RequestEntityTooLargeException", "Request body must be at most " + MAX_BODY_BYTES + " bytes.");
        }

        private static byte[] error(String type, String message) {
            return ("{\"__type\":\"" + type + "\",\"Message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        }

        /** A random UUID from a non-blocking source: request ids need uniqueness, not secrecy. */
        private static String newRequestId() {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
            long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            return new UUID(hi, lo).toString();
        }
    }
}
