package dev.coffer.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Envelope encryption: each plaintext gets its own fresh AES-256 data key, and only that small data key is encrypted
 * ("wrapped") under a key-encryption key from a {@link Keyset}.
 *
 * <p>Format (version 1), all integers big-endian:
 * <pre>
 *   version(1) = 1 | keyId(4) | wrappedKeyLength(2) | wrappedKey (nonce||ct||tag) | payload (nonce||ct||tag)
 * </pre>
 *
 * <p>Guarantees: the 7-byte header is part of the associated data of both layers, together with the caller's
 * associated data and a distinct label per layer, so changing any byte anywhere, moving an envelope to other
 * associated data, or splicing parts of two envelopes together makes {@link #open} throw
 * {@link DecryptionFailedException}. Every way of failing to open (unknown version, unknown key id, truncation,
 * tampering, wrong key, wrong associated data) is that same exception. The data key is wiped after use. Thread-safe.
 *
 * <p>Because the key id is authenticated by the payload too, moving an envelope to a new key means re-encrypting it:
 * {@link #rewrap} does that.
 */
public final class Envelope {

    /** The only format version this code writes and reads. */
    public static final byte VERSION = 1;

    private static final int HEADER_LENGTH = 1 + 4 + 2;
    private static final byte WRAP_LABEL = 'K';
    private static final byte PAYLOAD_LABEL = 'P';

    private Envelope() {
    }

    /** Seals {@code plaintext} under a fresh data key wrapped by the keyset's primary key. */
    public static byte[] seal(Keyset keyEncryptionKeys, byte[] plaintext, byte[] associatedData) {
        Objects.requireNonNull(keyEncryptionKeys, "keyEncryptionKeys");
        Objects.requireNonNull(plaintext, "plaintext");
        int keyId = keyEncryptionKeys.primaryId();
        int wrappedLength = Aead.KEY_LENGTH + Aead.OVERHEAD;
        byte[] header = header(keyId, wrappedLength);

        byte[] wrapped;
        byte[] payload;
        try (SecretBytes dataKey = Aead.newKey()) {
            wrapped = keyEncryptionKeys.primary().encrypt(dataKey.bytes(), aad(header, WRAP_LABEL, associatedData));
            payload = Aead.aes256Gcm(dataKey).encrypt(plaintext, aad(header, PAYLOAD_LABEL, associatedData));
        }
        return ByteBuffer.allocate(HEADER_LENGTH + wrapped.length + payload.length)
            .put(header).put(wrapped).put(payload).array();
    }

    /**
     * Opens an envelope made by {@link #seal}.
     *
     * @throws DecryptionFailedException if it is malformed, of an unknown version, wrapped by a key not in the keyset,
     *     tampered with, or sealed with other associated data
     */
    public static byte[] open(Keyset keyEncryptionKeys, byte[] envelope, byte[] associatedData) {
        Objects.requireNonNull(keyEncryptionKeys, "keyEncryptionKeys");
        Parsed parsed = parse(envelope);
        Aead keyEncryptionKey = keyEncryptionKeys.get(parsed.keyId);
        byte[] wrapped = Arrays.copyOfRange(envelope, HEADER_LENGTH, parsed.payloadOffset);
        byte[] payload = Arrays.copyOfRange(envelope, parsed.payloadOffset, envelope.length);
        byte[] header = Arrays.copyOfRange(envelope, 0, HEADER_LENGTH);

        try (SecretBytes dataKey = SecretBytes.wrap(
                keyEncryptionKey.decrypt(wrapped, aad(header, WRAP_LABEL, associatedData)))) {
            if (dataKey.length() != Aead.KEY_LENGTH) {
                throw new DecryptionFailedException();
            }
            return Aead.aes256Gcm(dataKey).decrypt(payload, aad(header, PAYLOAD_LABEL, associatedData));
        }
    }

    /**
     * The id of the key-encryption key that wrapped this envelope, e.g. to find envelopes still under a retired key.
     *
     * @throws DecryptionFailedException if the envelope is malformed or of an unknown version
     */
    public static int keyIdOf(byte[] envelope) {
        return parse(envelope).keyId;
    }

    /**
     * Re-seals an envelope under the keyset's current primary key (for key rotation). The plaintext exists only
     * briefly in memory and is wiped.
     *
     * @throws DecryptionFailedException if the envelope cannot be opened with this keyset and associated data
     */
    public static byte[] rewrap(Keyset keyEncryptionKeys, byte[] envelope, byte[] associatedData) {
        try (SecretBytes plaintext = SecretBytes.wrap(open(keyEncryptionKeys, envelope, associatedData))) {
            return seal(keyEncryptionKeys, plaintext.bytes(), associatedData);
        }
    }

    private record Parsed(int keyId, int payloadOffset) {
    }

    private static Parsed parse(byte[] envelope) {
        Objects.requireNonNull(envelope, "envelope");
        if (envelope.length < HEADER_LENGTH || envelope[0] != VERSION) {
            throw new DecryptionFailedException();
        }
        ByteBuffer in = ByteBuffer.wrap(envelope, 1, HEADER_LENGTH - 1);
        int keyId = in.getInt();
        int wrappedLength = Short.toUnsignedInt(in.getShort());
        long payloadOffset = (long) HEADER_LENGTH + wrappedLength;
        if (wrappedLength < Aead.OVERHEAD || payloadOffset + Aead.OVERHEAD > envelope.length) {
            throw new DecryptionFailedException();
        }
        return new Parsed(keyId, (int) payloadOffset);
    }

    private static byte[] header(int keyId, int wrappedLength) {
        return ByteBuffer.allocate(HEADER_LENGTH).put(VERSION).putInt(keyId).putShort((short) wrappedLength).array();
    }

    /** header || layer label || caller's associated data; unambiguous because header and label are fixed-size. */
    private static byte[] aad(byte[] header, byte label, byte[] associatedData) {
        byte[] ad = associatedData == null ? new byte[0] : associatedData;
        return ByteBuffer.allocate(HEADER_LENGTH + 1 + ad.length).put(header).put(label).put(ad).array();
    }
}
