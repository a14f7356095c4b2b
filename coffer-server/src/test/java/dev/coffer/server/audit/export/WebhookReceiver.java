package dev.coffer.server.audit.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback, as a user would write one: takes POSTed batches, checks the HMAC signature with
 * the shared key, de-duplicates by eventID. It can be stopped (connections refused) and started again on its port.
 */
final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] key;
    private final int port;
    private HttpServer server;
    final Set<String> eventIds = ConcurrentHashMap.newKeySet();
    final AtomicLong received = new AtomicLong();
    final AtomicInteger batches = new AtomicInteger();
    final AtomicInteger badSignatures = new AtomicInteger();
    final AtomicInteger malformed = new AtomicInteger();
    private final ByteArrayOutputStream allBytes = new ByteArrayOutputStream();

    private WebhookReceiver(byte[] key, int port) throws IOException {
        this.key = key;
        this.port = port;
        start();
    }

    static WebhookReceiver start(byte[] key) throws IOException {
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        return new WebhookReceiver(key, port);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port + "/coffer/audit");
    }

    synchronized void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/coffer/audit", this::handle);
        server.start();
    }

    /** Stops answering: further deliveries find the port closed. */
    synchronized void stop() {
        if (server != null) server.stop(0);
        server = null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        synchronized (allBytes) {
            allBytes.writeBytes(body);
        }
        String signature = exchange.getRequestHeaders().getFirst("X-Coffer-Signature-256");
        if (key != null && (signature == null || !signature.equals(sign(body)))) {
            badSignatures.incrementAndGet();
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        try {
            JsonNode events = JSON.readTree(body).path("events");
            if (!events.isArray()) throw new IOException("no events array");
            for (JsonNode event : events) {
                String id = event.path("eventID").asText(null);
                if (id == null) throw new IOException("an event without eventID");
                eventIds.add(id);
                received.incrementAndGet();
            }
            batches.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
        } catch (IOException e) {
            malformed.incrementAndGet();
            exchange.sendResponseHeaders(400, -1);
        }
        exchange.close();
    }

    private String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] allBytes() {
        synchronized (allBytes) {
            return allBytes.toByteArray();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
