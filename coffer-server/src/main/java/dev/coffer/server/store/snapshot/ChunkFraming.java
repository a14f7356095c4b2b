package dev.coffer.server.store.snapshot;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The associated data of a chunk: the hash of the file's header, the chunk's index and whether it is the last. So a
 * chunk moved to another place or file, a header edited, or a file cut short after any chunk, fails to open.
 */
final class ChunkFraming {
    private static final byte[] LABEL = "coffer:backup:v1:chunk\0".getBytes(StandardCharsets.UTF_8);
    /** The largest chunk a file may declare: bounds what a reader allocates for a damaged length. */
    static final int MAX_CHUNK = 16 * 1024 * 1024;
    static final int DEFAULT_CHUNK = 64 * 1024;

    private ChunkFraming() {}

    static byte[] associatedData(byte[] headerHash, long index, boolean last) {
        return ByteBuffer.allocate(LABEL.length + headerHash.length + Long.BYTES + 1)
                .put(LABEL).put(headerHash).putLong(index).put((byte) (last ? 1 : 0)).array();
    }
}
