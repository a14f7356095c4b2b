package dev.coffer.server.store.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.Aead;
import dev.coffer.crypto.SecretBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sealed file framing on its own, with small chunks so a file has many: it opens only whole, in order, under the
 * root key it was made with, with its header as written.
 */
class SnapshotFileTest {
    private static final int CHUNK = 16;
    private final SecretBytes rootKey = Aead.newKey();
    private final byte[] content = "0123456789abcdefghijklmnopqrstuvwxyz-the-logical-content-of-a-store-goes-here-"
            .repeat(3).getBytes(StandardCharsets.US_ASCII);

    private byte[] sealed(String schemaVersion) throws Exception {
        byte[] salt = new byte[SnapshotKey.SALT_LENGTH];
        new java.security.SecureRandom().nextBytes(salt);
        SnapshotHeader header = new SnapshotHeader(SnapshotHeader.FORMAT, schemaVersion, "sqlite", "2026-12-01T00:00:00Z",
                List.of(new SnapshotHeader.TableCount("secrets", 1)), "00", CHUNK, Base64.getEncoder().encodeToString(salt),
                Base64.getEncoder().encodeToString(SnapshotKey.check(rootKey, salt)));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (OutputStream out = SnapshotFile.create(file, header, rootKey)) {
            out.write(content);
        }
        return file.toByteArray();
    }

    private byte[] open(byte[] file, SecretBytes key) throws Exception {
        return SnapshotFile.open(new ByteArrayInputStream(file), key).content().readAllBytes();
    }

    /** The file cut into its prefix (magic and header) and its framed chunks. */
    private static List<byte[]> pieces(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file);
        b.position(SnapshotFile.MAGIC.length);
        int headerLength = b.getInt();
        List<byte[]> pieces = new ArrayList<>();
        int prefix = SnapshotFile.MAGIC.length + 4 + headerLength;
        pieces.add(Arrays.copyOf(file, prefix));
        int at = prefix;
        while (at < file.length) {
            int length = ByteBuffer.wrap(file, at, 4).getInt();
            pieces.add(Arrays.copyOfRange(file, at, at + 4 + length));
            at += 4 + length;
        }
        return pieces;
    }

    private static byte[] join(List<byte[]> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Test
    void aWholeFile_opensToWhatWasWritten_andHoldsNoPlaintext() throws Exception {
        byte[] file = sealed("4");
        assertThat(pieces(file)).hasSize(1 + (content.length + CHUNK - 1) / CHUNK);
        assertThat(open(file, rootKey)).isEqualTo(content);
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain("logical-content");
    }

    @Test
    void reorderedChunks_areRefused() throws Exception {
        List<byte[]> pieces = new ArrayList<>(pieces(sealed("4")));
        byte[] second = pieces.get(2);
        pieces.set(2, pieces.get(3));
        pieces.set(3, second);
        assertThatThrownBy(() -> open(join(pieces), rootKey)).isInstanceOf(SnapshotException.class)
                .hasMessage("the file was altered or is damaged: chunk 1 fails authentication");
    }

    @Test
    void aMissingChunk_inTheMiddleOrAtTheEnd_isRefused() throws Exception {
        List<byte[]> pieces = pieces(sealed("4"));
        List<byte[]> middle = new ArrayList<>(pieces);
        middle.remove(3);
        assertThatThrownBy(() -> open(join(middle), rootKey)).hasMessage(
                "the file was altered or is damaged: chunk 2 fails authentication");
        List<byte[]> end = new ArrayList<>(pieces.subList(0, pieces.size() - 1));
        assertThatThrownBy(() -> open(join(end), rootKey)).hasMessage(
                "the file is truncated: it ends after chunk " + (end.size() - 1) + " without its final chunk");
    }

    @Test
    void bytesAfterTheFinalChunk_areRefused() throws Exception {
        List<byte[]> pieces = new ArrayList<>(pieces(sealed("4")));
        pieces.add(pieces.getLast()); // the final chunk again
        assertThatThrownBy(() -> open(join(pieces), rootKey)).hasMessage("the file has data after its final chunk (altered)");
    }

    @Test
    void anEditedHeader_opensNoChunk() throws Exception {
        byte[] file = sealed("4");
        String text = new String(file, StandardCharsets.ISO_8859_1).replace("\"schemaVersion\":\"4\"", "\"schemaVersion\":\"3\"");
        assertThatThrownBy(() -> open(text.getBytes(StandardCharsets.ISO_8859_1), rootKey))
                .hasMessage("the file was altered or is damaged: chunk 0 fails authentication");
    }

    @Test
    void anotherRootKey_isToldApartFromDamage() throws Exception {
        byte[] file = sealed("4");
        try (SecretBytes other = Aead.newKey()) {
            assertThatThrownBy(() -> open(file, other)).hasMessageStartingWith("the root key does not open this snapshot");
        }
    }

    @Test
    void aChunkFromAnotherFile_underTheSameKey_isRefused() throws Exception {
        List<byte[]> one = pieces(sealed("4"));
        List<byte[]> two = new ArrayList<>(pieces(sealed("4")));
        two.set(1, one.get(1)); // same root key, same index, but another file's header (and salt)
        assertThatThrownBy(() -> open(join(two), rootKey)).hasMessage(
                "the file was altered or is damaged: chunk 0 fails authentication");
    }
}
