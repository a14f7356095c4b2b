package dev.coffer.crypto;

import static dev.coffer.crypto.KeysetTest.newAead;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private static final byte[] PLAINTEXT = "{\"password\":\"correct horse battery staple\"}".getBytes(UTF_8);
    private static final byte[] AD = "arn:aws:secretsmanager:us-east-1:000000000000:secret:db|v1".getBytes(UTF_8);

    private final Aead key1 = newAead();
    private final Aead key2 = newAead();
    private final Keyset keyset = new Keyset(Map.of(1, key1), 1);

    @Property(tries = 100)
    void sealThenOpen_roundTrips(@ForAll @Size(max = 2000) byte[] plaintext, @ForAll @Size(max = 100) byte[] ad) {
        byte[] envelope = Envelope.seal(keyset, plaintext, ad);
        assertThat(Envelope.open(keyset, envelope, ad)).isEqualTo(plaintext);
    }

    @Test
    void envelope_hasTheDocumentedLayout() {
        Keyset k = new Keyset(Map.of(0x01020304, key1), 0x01020304);
        byte[] envelope = Envelope.seal(k, PLAINTEXT, AD);
        ByteBuffer in = ByteBuffer.wrap(envelope);
        assertThat(in.get()).isEqualTo((byte) 1);
        assertThat(in.getInt()).isEqualTo(0x01020304);
        int wrappedLength = Short.toUnsignedInt(in.getShort());
        assertThat(wrappedLength).isEqualTo(12 + 32 + 16);
        assertThat(envelope).hasSize(7 + wrappedLength + 12 + PLAINTEXT.length + 16);
        assertThat(Envelope.keyIdOf(envelope)).isEqualTo(0x01020304);
    }

    @Test
    void flippingAnyByte_failsToDecrypt() {
        byte[] envelope = Envelope.seal(keyset, PLAINTEXT, AD);
        for (int i = 0; i < envelope.length; i++) {
            for (int mask : new int[] {0x01, 0x80, 0xff}) {
                byte[] tampered = envelope.clone();
                tampered[i] ^= (byte) mask;
                assertThatThrownBy(() -> Envelope.open(keyset, tampered, AD))
                    .as("byte %d ^ %02x", i, mask)
                    .isExactlyInstanceOf(DecryptionFailedException.class);
            }
        }
    }

    @Test
    void flippingAnyByte_failsToDecrypt_evenWhenTheKeyIdStillNamesAKnownKey() {
        // Ids 0 and 1 differ in one bit: the edited header names a real key, and must still fail.
        Keyset both = new Keyset(Map.of(0, key2, 1, key1), 1);
        byte[] envelope = Envelope.seal(both, PLAINTEXT, AD);
        byte[] tampered = envelope.clone();
        tampered[4] ^= 1;
        assertThat(Envelope.keyIdOf(tampered)).isZero();
        assertThatThrownBy(() -> Envelope.open(both, tampered, AD)).isExactlyInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void truncatedAtAnyLength_failsToDecrypt() {
        byte[] envelope = Envelope.seal(keyset, PLAINTEXT, AD);
        for (int len = 0; len < envelope.length; len++) {
            byte[] cut = Arrays.copyOf(envelope, len);
            assertThatThrownBy(() -> Envelope.open(keyset, cut, AD)).isExactlyInstanceOf(DecryptionFailedException.class);
        }
    }

    @Test
    void appendedBytes_failToDecrypt() {
        byte[] envelope = Envelope.seal(keyset, PLAINTEXT, AD);
        byte[] longer = Arrays.copyOf(envelope, envelope.length + 1);
        assertThatThrownBy(() -> Envelope.open(keyset, longer, AD)).isExactlyInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void envelopeMovedToOtherAssociatedData_failsToDecrypt() {
        byte[] envelope = Envelope.seal(keyset, PLAINTEXT, AD);
        byte[] otherSecret = "arn:aws:secretsmanager:us-east-1:000000000000:secret:other|v1".getBytes(UTF_8);
        assertThatThrownBy(() -> Envelope.open(keyset, envelope, otherSecret))
            .isExactlyInstanceOf(DecryptionFailedException.class);
        assertThatThrownBy(() -> Envelope.open(keyset, envelope, null))
            .isExactlyInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void wrongKeyEncryptionKey_failsToDecrypt() {
        byte[] envelope = Envelope.seal(keyset, PLAINTEXT, AD);
        Keyset impostor = new Keyset(Map.of(1, key2), 1);
        assertThatThrownBy(() -> Envelope.open(impostor, envelope, AD))
            .isExactlyInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void unknownKeyId_failsToDecrypt() {
        byte[] envelope = Envelope.seal(new Keyset(Map.of(9, key1), 9), PLAINTEXT, AD);
        assertThatThrownBy(() -> Envelope.open(keyset, envelope, AD)).isExactlyInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void unknownVersion_failsToDecrypt() {
        byte[] envelope = Envelope.seal(keyset, PLAINTEXT, AD);
        for (int version : new int[] {0, 2, 0x7f, 0xff}) {
            byte[] other = envelope.clone();
            other[0] = (byte) version;
            assertThatThrownBy(() -> Envelope.open(keyset, other, AD)).isExactlyInstanceOf(DecryptionFailedException.class);
            assertThatThrownBy(() -> Envelope.keyIdOf(other)).isExactlyInstanceOf(DecryptionFailedException.class);
        }
    }

    @Test
    void splicingTwoEnvelopes_failsToDecrypt() {
        byte[] a = Envelope.seal(keyset, PLAINTEXT, AD);
        byte[] b = Envelope.seal(keyset, "other plaintext of some length".getBytes(UTF_8), AD);
        int payloadOffset = 7 + 60;
        byte[] headerAndKeyOfA = Arrays.copyOf(a, payloadOffset);
        byte[] payloadOfB = Arrays.copyOfRange(b, payloadOffset, b.length);
        byte[] spliced = ByteBuffer.allocate(payloadOffset + payloadOfB.length).put(headerAndKeyOfA).put(payloadOfB).array();
        assertThatThrownBy(() -> Envelope.open(keyset, spliced, AD)).isExactlyInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void rotatedKeyset_stillOpensOldEnvelopes() {
        byte[] old = Envelope.seal(keyset, PLAINTEXT, AD);
        Keyset rotated = new Keyset(Map.of(1, key1, 2, key2), 2);

        assertThat(Envelope.open(rotated, old, AD)).isEqualTo(PLAINTEXT);
        byte[] fresh = Envelope.seal(rotated, PLAINTEXT, AD);
        assertThat(Envelope.keyIdOf(old)).isEqualTo(1);
        assertThat(Envelope.keyIdOf(fresh)).isEqualTo(2);
        assertThat(Envelope.open(rotated, fresh, AD)).isEqualTo(PLAINTEXT);
    }

    @Test
    void rewrap_movesAnEnvelopeToThePrimaryKey_soTheOldKeyCanBeRetired() {
        byte[] old = Envelope.seal(keyset, PLAINTEXT, AD);
        Keyset rotated = new Keyset(Map.of(1, key1, 2, key2), 2);
        byte[] rewrapped = Envelope.rewrap(rotated, old, AD);
        assertThat(Envelope.keyIdOf(rewrapped)).isEqualTo(2);

        Keyset retired = new Keyset(Map.of(2, key2), 2);
        assertThat(Envelope.open(retired, rewrapped, AD)).isEqualTo(PLAINTEXT);
        assertThatThrownBy(() -> Envelope.open(retired, old, AD)).isExactlyInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void sealingTwice_givesDifferentEnvelopes() {
        assertThat(Envelope.seal(keyset, PLAINTEXT, AD)).isNotEqualTo(Envelope.seal(keyset, PLAINTEXT, AD));
    }

    @Test
    void keyIdOf_malformedInput_failsToDecrypt() {
        assertThatThrownBy(() -> Envelope.keyIdOf(new byte[0])).isExactlyInstanceOf(DecryptionFailedException.class);
        assertThatThrownBy(() -> Envelope.keyIdOf(new byte[] {1, 0, 0, 0, 1, 0}))
            .isExactlyInstanceOf(DecryptionFailedException.class);
        byte[] lyingLength = {1, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff, 0, 0, 0};
        assertThatThrownBy(() -> Envelope.keyIdOf(lyingLength)).isExactlyInstanceOf(DecryptionFailedException.class);
    }
}
