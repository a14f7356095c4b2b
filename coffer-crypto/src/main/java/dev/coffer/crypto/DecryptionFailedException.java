package dev.coffer.crypto;

import java.io.Serial;

/**
 * The single failure every decryption in this package reports: short input, bad tag, wrong key, wrong associated
 * data, unknown key id or unknown format version all look the same.
 *
 * <p>Guarantees: the message is always {@value #MESSAGE}, there is never a cause and never a suppressed exception, so
 * nothing about the key, the ciphertext or the plaintext can reach a log or a client through it, and callers cannot
 * tell one failure mode from another (which would help an attacker probing ciphertexts).
 */
public final class DecryptionFailedException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The only message this exception ever carries. */
    public static final String MESSAGE = "decryption failed";

    public DecryptionFailedException() {
        super(MESSAGE, null, false, true);
    }
}
