package dev.coffer.server.store.snapshot;

import dev.coffer.crypto.Aead;
import dev.coffer.crypto.DecryptionFailedException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Opens the chunks {@link SealedChunkOutputStream} wrote, in order. Plaintext is released only chunk by chunk after
 * each has verified; a chunk that fails, a missing final chunk (truncation) or bytes after it (appending) end the read
 * with a {@link SnapshotException}.
 */
final class SealedChunkInputStream extends InputStream {
    private final DataInputStream in;
    private final Aead key;
    private final byte[] headerHash;
    private final int maxSealed;
    private byte[] chunk = new byte[0];
    private int position;
    private long index;
    private boolean sawLast;

    SealedChunkInputStream(InputStream in, Aead key, byte[] headerHash, int chunkSize) {
        this.in = new DataInputStream(in);
        this.key = key;
        this.headerHash = headerHash.clone();
        this.maxSealed = chunkSize + Aead.OVERHEAD;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) return -1;
        return chunk[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, chunk.length - position);
        System.arraycopy(chunk, position, b, off, n);
        position += n;
        return n;
    }

    /** True when a byte is available; false only at the verified end of the file. */
    private boolean fill() throws IOException {
        while (position == chunk.length) {
            if (sawLast) {
                if (in.read() != -1) throw new SnapshotException("the file has data after its final chunk (altered)");
                return false;
            }
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                throw new SnapshotException("the file is truncated: it ends after chunk " + index + " without its final chunk");
            }
            if (length < Aead.OVERHEAD || length > maxSealed) {
                throw new SnapshotException("the file is damaged: chunk " + index + " has an impossible length");
            }
            byte[] sealed = new byte[length];
            try {
                in.readFully(sealed);
            } catch (EOFException e) {
                throw new SnapshotException("the file is truncated: chunk " + index + " is cut short");
            }
            chunk = open(sealed);
            position = 0;
            index++;
        }
        return true;
    }

    /** A chunk opens as the last one or as one that is not; which one it is comes from the tag, not from the file. */
    private byte[] open(byte[] sealed) {
        try {
            return key.decrypt(sealed, ChunkFraming.associatedData(headerHash, index, false));
        } catch (DecryptionFailedException notMiddle) {
            try {
                byte[] plain = key.decrypt(sealed, ChunkFraming.associatedData(headerHash, index, true));
                sawLast = true;
                return plain;
            } catch (DecryptionFailedException e) {
                throw new SnapshotException("the file was altered or is damaged: chunk " + index + " fails authentication");
            }
        }
    }
}
