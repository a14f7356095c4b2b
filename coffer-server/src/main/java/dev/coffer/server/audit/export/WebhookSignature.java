package dev.coffer.server.audit.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies so a receiver can trust them: {@code X-Coffer-Signature-256: sha256=<hex HMAC-SHA256 of the
 * body>} under a key shared through a file (its bytes, without trailing line breaks). The key is never logged and
 * never leaves this object.
 */
final class WebhookSignature {
    static final String HEADER = "X-Coffer-Signature-256";
    private static final int MIN_KEY_BYTES = 16;

    private final SecretKeySpec key;

    private WebhookSignature(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    static WebhookSignature fromFile(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) end--;
        byte[] key = Arrays.copyOf(raw, end);
        Arrays.fill(raw, (byte) 0);
        try {
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("the webhook secret file " + file + " must hold at least " + MIN_KEY_BYTES
                        + " bytes (e.g. `openssl rand -hex 32 > " + file.getFileName() + "`)");
            }
            return new WebhookSignature(key);
        } finally {
            Arrays.fill(key, (byte) 0); // SecretKeySpec keeps its own copy
        }
    }

    /** The header's value for {@code body}. */
    String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSignature[HmacSHA256]";
    }
}
