package dev.coffer.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256, HMAC-SHA256, lowercase hex and constant-time comparison, on the JDK's JCA.
 *
 * <p>Guarantees: results are exactly the JCA's; {@link #constantTimeEquals(byte[], byte[])} takes time independent of
 * where inputs differ, so signature and MAC checks leak nothing through timing. This class sits on the per-request
 * path (SigV4 verification), so it avoids needless work: hex uses a lookup table, and engines are obtained by cloning
 * an uninitialised prototype (cheaper than a provider lookup, and unlike a {@code ThreadLocal} it costs nothing per
 * virtual thread). Every method is thread-safe.
 */
public final class Hashing {

    private static final String SHA_256 = "SHA-256";
    private static final String HMAC_SHA_256 = "HmacSHA256";
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Never initialised or used directly: only cloned. */
    private static final MessageDigest DIGEST_PROTOTYPE = newDigest();
    /** Never initialised or used directly: only cloned. */
    private static final Mac MAC_PROTOTYPE = newMac();

    private Hashing() {
    }

    /** SHA-256 of {@code data}. */
    public static byte[] sha256(byte[] data) {
        return sha256Engine().digest(Objects.requireNonNull(data, "data"));
    }

    /** Lowercase hex of the SHA-256 of {@code data}. */
    public static String sha256Hex(byte[] data) {
        return hex(sha256(data));
    }

    /**
     * HMAC-SHA256 of {@code data} under {@code key}. An empty key is allowed (RFC 2104 pads keys with zeros, so it is
     * the same as a single zero byte, which is what is handed to the JCA since it refuses empty keys).
     */
    public static byte[] hmacSha256(byte[] key, byte[] data) {
        Mac mac = hmacSha256Engine(key);
        return mac.doFinal(Objects.requireNonNull(data, "data"));
    }

    /** Lowercase hexadecimal, two characters per byte. */
    public static String hex(byte[] b) {
        Objects.requireNonNull(b, "bytes");
        byte[] out = new byte[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            int v = b[i] & 0xff;
            out[2 * i] = HEX[v >>> 4];
            out[2 * i + 1] = HEX[v & 0x0f];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /**
     * Compares in time that depends only on the lengths, not on where the contents differ. {@code null} never equals
     * anything.
     */
    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a, b);
    }

    /** A fresh SHA-256 engine, private to the caller. */
    static MessageDigest sha256Engine() {
        try {
            return (MessageDigest) DIGEST_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newDigest();
        }
    }

    /** A fresh HMAC-SHA256 engine initialised with {@code key}, private to the caller. */
    static Mac hmacSha256Engine(byte[] key) {
        Objects.requireNonNull(key, "key");
        Mac mac;
        try {
            mac = (Mac) MAC_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            mac = newMac();
        }
        byte[] effectiveKey = key.length == 0 ? new byte[1] : key;
        try {
            mac.init(new SecretKeySpec(effectiveKey, HMAC_SHA_256));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 rejected its key", e);
        }
        return mac;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(SHA_256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides no SHA-256", e);
        }
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance(HMAC_SHA_256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides no HmacSHA256", e);
        }
    }
}
