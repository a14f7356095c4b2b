package dev.coffer.server.audit.export;

import dev.coffer.server.store.AuditRow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Audit events POSTed to an HTTPS endpoint in batches: {@code {"events":[record, ...]}}, each record the CloudTrail
 * record as stored, with the batch's sequence range in {@code X-Coffer-Sequence} and, given a shared secret, an
 * HMAC-SHA256 signature of the body ({@link WebhookSignature}). An answer in 2xx within the timeout is the receiver's
 * confirmation; anything else — another status, a timeout, a refused connection — fails the delivery, and the
 * exporter sends the batch again after an exponential backoff with jitter. Redirects are not followed (they could
 * lead off TLS or to another host).
 */
final class WebhookSink implements AuditSink {
    static final String SEQUENCE_HEADER = "X-Coffer-Sequence";

    private final WebhookExport settings;
    private final WebhookSignature signature;
    private final HttpClient client;

    WebhookSink(WebhookExport settings) throws IOException {
        this.settings = settings;
        this.signature = settings.secretFile() == null ? null : WebhookSignature.fromFile(settings.secretFile());
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if ("https".equals(settings.url().getScheme())) builder.sslContext(PemTrust.context(settings.caFile()));
        this.client = builder.build();
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void deliver(List<AuditRow> events) throws IOException {
        byte[] body = body(events);
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header(SEQUENCE_HEADER, events.getFirst().seq() + "-" + events.getLast().seq())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) request.header(WebhookSignature.HEADER, signature.sign(body));
        HttpResponse<Void> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while delivering", e);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) throw new IOException("the receiver answered HTTP " + status);
    }

    static byte[] body(List<AuditRow> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 1024);
        out.writeBytes("{\"events\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) out.write(',');
            out.writeBytes(events.get(i).recordJson().getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Override
    public void close() {
        client.shutdownNow();
    }

    @Override
    public String toString() {
        return settings.toString();
    }
}
