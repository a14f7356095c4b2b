package dev.coffer.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * Sensitive bytes (keys, plaintext secrets) that can be wiped.
 *
 * <p>Guarantees: {@link #close()} overwrites the contents with zeros and is idempotent; any later use throws
 * {@link IllegalStateException}, so a wiped key can never be silently used as all-zeros; {@link #toString()} shows only
 * the length, so the bytes never reach a log line. It deliberately does not override {@code equals}/{@code hashCode}:
 * a content-based comparison would not be constant-time and a hash would leak content into hash tables. Compare with
 * {@link Hashing#constantTimeEquals(byte[], byte[])} instead.
 *
 * <p>Not thread-safe: one owner uses it and closes it, typically in a try-with-resources block.
 */
public final class SecretBytes implements AutoCloseable {

    private final byte[] bytes;
    private volatile boolean closed;

    private SecretBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Takes ownership of {@code b} without copying; the caller must not use {@code b} afterwards. */
    public static SecretBytes wrap(byte[] b) {
        return new SecretBytes(Objects.requireNonNull(b, "bytes"));
    }

    /** Copies {@code b}; the caller stays responsible for wiping its own array. */
    public static SecretBytes copyOf(byte[] b) {
        return new SecretBytes(Objects.requireNonNull(b, "bytes").clone());
    }

    /**
     * The internal array, not a copy. Callers must not keep it beyond the life of this object, and must not hand it
     * to code that might.
     *
     * @throws IllegalStateException if closed
     */
    public byte[] bytes() {
        ensureOpen();
        return bytes;
    }

    /**
     * Number of bytes held.
     *
     * @throws IllegalStateException if closed
     */
    public int length() {
        ensureOpen();
        return bytes.length;
    }

    /** Overwrites the contents with zeros. Safe to call more than once. */
    @Override
    public void close() {
        Arrays.fill(bytes, (byte) 0);
        closed = true;
    }

    /** Shows the length only, never the content. */
    @Override
    public String toString() {
        return closed ? "SecretBytes[closed]" : "SecretBytes[" + bytes.length + " bytes]";
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("SecretBytes used after close()");
        }
    }
}
