package dev.coffer.server.store.snapshot;

import dev.coffer.crypto.Aead;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** Cuts what is written into chunks and seals each with AES-256-GCM as it fills: {@code length(4) || nonce || ciphertext || tag}. */
final class SealedChunkOutputStream extends OutputStream {
    private final DataOutputStream out;
    private final Aead key;
    private final byte[] headerHash;
    private final byte[] buffer;
    private int filled;
    private long index;
    private boolean closed;

    SealedChunkOutputStream(OutputStream out, Aead key, byte[] headerHash, int chunkSize) {
        this.out = new DataOutputStream(out);
        this.key = key;
        this.headerHash = headerHash.clone();
        this.buffer = new byte[chunkSize];
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == buffer.length) seal(false);
        buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (filled == buffer.length) seal(false);
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    /** Seals what is left as the final chunk. Without this, the file has no final chunk and every reader refuses it. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        seal(true);
        out.flush();
    }

    private void seal(boolean last) throws IOException {
        byte[] sealed = key.encrypt(Arrays.copyOf(buffer, filled), ChunkFraming.associatedData(headerHash, index++, last));
        Arrays.fill(buffer, (byte) 0);
        out.writeInt(sealed.length);
        out.write(sealed);
        filled = 0;
    }
}
