package dev.coffer.crypto;

import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * HKDF-SHA256 (RFC 5869) on the JDK's HmacSHA256: turns input key material into independent keys, one per
 * {@code info} label.
 *
 * <p>Guarantees: output is exactly RFC 5869's (checked against its test cases 1 to 3); a missing salt is the RFC's
 * string of 32 zero bytes; the intermediate pseudo-random key and blocks are wiped before returning. Thread-safe.
 */
public final class Hkdf {

    private static final int HASH_LENGTH = 32;
    /** RFC 5869: L must be at most 255 * HashLen. */
    public static final int MAX_LENGTH = 255 * HASH_LENGTH;

    private Hkdf() {
    }

    /**
     * Extract-then-expand.
     *
     * @param inputKeyMaterial the secret input (may be empty, not null)
     * @param salt optional; {@code null} or empty means 32 zero bytes
     * @param info optional context label; {@code null} means empty
     * @param length output length, 1 to {@value #MAX_LENGTH}
     */
    public static byte[] derive(byte[] inputKeyMaterial, byte[] salt, byte[] info, int length) {
        Objects.requireNonNull(inputKeyMaterial, "inputKeyMaterial");
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 output length must be 1.." + MAX_LENGTH + ", was " + length);
        }
        byte[] effectiveSalt = salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        byte[] effectiveInfo = info == null ? new byte[0] : info;

        byte[] prk = Hashing.hmacSha256(effectiveSalt, inputKeyMaterial);
        byte[] block = new byte[HASH_LENGTH];
        byte[] okm = new byte[length];
        try {
            Mac mac = Hashing.hmacSha256Engine(prk);
            int written = 0;
            for (int counter = 1; written < length; counter++) {
                if (counter > 1) {
                    mac.update(block);
                }
                mac.update(effectiveInfo);
                mac.update((byte) counter);
                mac.doFinal(block, 0);
                int n = Math.min(HASH_LENGTH, length - written);
                System.arraycopy(block, 0, okm, written, n);
                written += n;
            }
            return okm;
        } catch (ShortBufferException e) {
            throw new IllegalStateException("HMAC output buffer too small", e);
        } finally {
            Arrays.fill(prk, (byte) 0);
            Arrays.fill(block, (byte) 0);
        }
    }
}
