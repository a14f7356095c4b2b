package dev.coffer.server.store.snapshot;

import dev.coffer.crypto.Aead;
import dev.coffer.crypto.Hashing;
import dev.coffer.crypto.SecretBytes;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The file around a snapshot: {@code MAGIC || header length (4) || header (JSON) || chunks}. The header is in clear so
 * a reader can find the salt, and authenticated through every chunk's associated data (see {@link ChunkFraming}).
 */
final class SnapshotFile {
    static final byte[] MAGIC = "COFFER-SNAPSHOT\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER = 1024 * 1024;

    private SnapshotFile() {}

    /** Writes magic and header; returns the stream the content is written to (closing it seals the final chunk). */
    static OutputStream create(OutputStream file, SnapshotHeader header, SecretBytes rootKey) throws IOException {
        byte[] json = header.toJson();
        DataOutputStream out = new DataOutputStream(file);
        out.write(MAGIC);
        out.writeInt(json.length);
        out.write(json);
        Aead key = SnapshotKey.derive(rootKey, Base64.getDecoder().decode(header.salt()));
        return new SealedChunkOutputStream(file, key, headerHash(json), header.chunkSize());
    }

    record Opened(SnapshotHeader header, InputStream content) {}

    /**
     * Reads the header and checks the root key against it; the content stream then opens chunk by chunk and refuses,
     * mid-read, a file that was altered, reordered or cut short.
     */
    static Opened open(InputStream file, SecretBytes rootKey) throws IOException {
        DataInputStream in = new DataInputStream(file);
        byte[] magic = new byte[MAGIC.length];
        byte[] json;
        try {
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new SnapshotException("this is not a Coffer snapshot file");
            int length = in.readInt();
            if (length <= 0 || length > MAX_HEADER) throw new SnapshotException("the file's header is damaged");
            json = new byte[length];
            in.readFully(json);
        } catch (EOFException e) {
            throw new SnapshotException("the file is truncated: it ends inside its header");
        }
        SnapshotHeader header = SnapshotHeader.fromJson(json);
        if (header.format() != SnapshotHeader.FORMAT) {
            throw new SnapshotException("the snapshot is in format " + header.format() + "; this Coffer reads format "
                    + SnapshotHeader.FORMAT + " (use the Coffer version that made it, or a newer one)");
        }
        if (header.chunkSize() <= 0 || header.chunkSize() > ChunkFraming.MAX_CHUNK || header.salt() == null
                || header.keyCheck() == null) {
            throw new SnapshotException("the file's header is damaged");
        }
        byte[] salt;
        byte[] check;
        try {
            salt = Base64.getDecoder().decode(header.salt());
            check = Base64.getDecoder().decode(header.keyCheck());
        } catch (IllegalArgumentException e) {
            throw new SnapshotException("the file's header is damaged");
        }
        if (!Hashing.constantTimeEquals(SnapshotKey.check(rootKey, salt), check)) {
            throw new SnapshotException("the root key does not open this snapshot: it was made with another root key "
                    + "(give the --root-key-file of the deployment it was taken from)");
        }
        Aead key = SnapshotKey.derive(rootKey, salt);
        return new Opened(header, new SealedChunkInputStream(in, key, headerHash(json), header.chunkSize()));
    }

    /** SHA-256 over the magic, the length and the header bytes exactly as written. */
    private static byte[] headerHash(byte[] json) {
        return Hashing.sha256(ByteBuffer.allocate(MAGIC.length + 4 + json.length).put(MAGIC).putInt(json.length).put(json).array());
    }
}
