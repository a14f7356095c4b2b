package dev.coffer.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a fresh random 96-bit nonce per message and a 128-bit tag.
 *
 * <p>Guarantees: {@link #encrypt} returns {@code nonce(12) || ciphertext || tag(16)}, so a sealed message carries its
 * own nonce and callers can never pick (or reuse) one: GCM's confidentiality and integrity both collapse if a nonce
 * repeats under one key, and 96 random bits keep that negligible for any volume a secrets store sees. {@link #decrypt}
 * returns plaintext only after the tag over ciphertext and associated data has verified, and otherwise throws
 * {@link DecryptionFailedException}, whatever went wrong. The key is copied in, so closing the caller's
 * {@link SecretBytes} does not affect this object. Thread-safe: each call gets its own {@link Cipher}.
 *
 * <p>{@code null} associated data is the same as empty associated data.
 */
public final class Aead {

    /** AES-256 key length in bytes. */
    public static final int KEY_LENGTH = 32;
    /** GCM nonce length in bytes (96 bits, the size GCM is designed for). */
    public static final int NONCE_LENGTH = 12;
    /** GCM tag length in bytes (128 bits, the maximum). */
    public static final int TAG_LENGTH = 16;
    /** Bytes {@link #encrypt} adds to the plaintext. */
    public static final int OVERHEAD = NONCE_LENGTH + TAG_LENGTH;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private Aead(SecretKeySpec key) {
        this.key = key;
    }

    /**
     * An AES-256-GCM instance using a copy of {@code key}.
     *
     * @throws IllegalArgumentException if the key is not 32 bytes
     * @throws IllegalStateException if {@code key} is closed
     */
    public static Aead aes256Gcm(SecretBytes key) {
        Objects.requireNonNull(key, "key");
        byte[] raw = key.bytes();
        if (raw.length != KEY_LENGTH) {
            throw new IllegalArgumentException("AES-256-GCM needs a " + KEY_LENGTH + "-byte key, got " + raw.length);
        }
        return new Aead(new SecretKeySpec(raw, "AES"));
    }

    /** A new random 256-bit key from a {@link SecureRandom}. */
    public static SecretBytes newKey() {
        return SecretBytes.wrap(randomBytes(KEY_LENGTH));
    }

    /** Encrypts under a fresh random nonce; returns {@code nonce || ciphertext || tag}. */
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] nonce = randomBytes(NONCE_LENGTH);
        byte[] out = new byte[NONCE_LENGTH + plaintext.length + TAG_LENGTH];
        System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
        Cipher cipher = newCipher();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            if (associatedData != null) {
                cipher.updateAAD(associatedData);
            }
            int written = cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE_LENGTH);
            if (written != plaintext.length + TAG_LENGTH) {
                throw new IllegalStateException("AES-GCM produced an unexpected length");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Verifies and decrypts {@code nonce || ciphertext || tag}.
     *
     * @throws DecryptionFailedException on any failure: too short, bad tag, wrong key, wrong associated data
     */
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
        Objects.requireNonNull(ciphertext, "ciphertext");
        if (ciphertext.length < OVERHEAD) {
            throw new DecryptionFailedException();
        }
        Cipher cipher = newCipher();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, ciphertext, 0, NONCE_LENGTH));
            if (associatedData != null) {
                cipher.updateAAD(associatedData);
            }
            // The JDK's GCM buffers the whole message and releases plaintext only once the tag has verified.
            return cipher.doFinal(ciphertext, NONCE_LENGTH, ciphertext.length - NONCE_LENGTH);
        } catch (GeneralSecurityException | RuntimeException e) {
            // Deliberately no cause: whatever went wrong, the caller learns only that decryption failed.
            throw new DecryptionFailedException();
        }
    }

    @Override
    public String toString() {
        return "Aead[AES-256-GCM]";
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides no " + TRANSFORMATION, e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
