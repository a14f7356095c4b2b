package dev.coffer.bench;

import dev.coffer.crypto.SigV4Signer;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds signed AWS JSON 1.1 requests as the exact bytes the load generator replays, and a minimal
 * keep-alive HTTP/1.1 client that sends those same bytes (so the seeding and checking steps prove that
 * the replayed bytes are accepted, not some other client's rendering of them).
 */
final class RawHttp implements Closeable {
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    /** A response: status and body. */
    record Reply(int status, String body) {}

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /**
     * A complete signed request: {@code POST /} with {@code X-Amz-Target: secretsmanager.<operation>}.
     *
     * @param hostHeader the Host header exactly as sent and signed, e.g. {@code 127.0.0.1:8700}
     */
    static byte[] signedRequest(String hostHeader, String operation, byte[] body, SigV4Signer.Credentials creds,
                                String region, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", CONTENT_TYPE);
        headers.put("X-Amz-Target", "secretsmanager." + operation);
        Map<String, String> added = SigV4Signer.sign("POST", hostHeader, "/", null, headers, body, creds, region,
                "secretsmanager", now);
        return assemble(hostHeader, headers, added, body);
    }

    /** A complete signed AWS Query request ({@code POST /}, form-encoded) for IAM or STS. */
    static byte[] signedQueryRequest(String hostHeader, String service, String form, SigV4Signer.Credentials creds,
                                     String region, Instant now) {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        Map<String, String> added = SigV4Signer.sign("POST", hostHeader, "/", null, headers, body, creds, region, service, now);
        return assemble(hostHeader, headers, added, body);
    }

    private static byte[] assemble(String hostHeader, Map<String, String> headers, Map<String, String> added, byte[] body) {
        StringBuilder head = new StringBuilder(512);
        head.append("POST / HTTP/1.1\r\n");
        head.append("Host: ").append(hostHeader).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        added.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** Sends one complete request and reads its response (the server always sends Content-Length). */
    Reply exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("bad status line: " + statusLine);
        int status = Integer.parseInt(parts[1]);
        int length = -1;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(line.substring(colon + 1).strip());
            }
        }
        if (length < 0) throw new IOException("response without Content-Length (status " + status + ")");
        byte[] body = in.readNBytes(length);
        if (body.length != length) throw new IOException("connection closed in the middle of a response body");
        return new Reply(status, new String(body, StandardCharsets.UTF_8));
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed while reading a response head");
            if (b == '\n') break;
            if (b != '\r') line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
