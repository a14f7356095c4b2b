package dev.coffer.server.store.snapshot;

import dev.coffer.crypto.Aead;
import dev.coffer.crypto.Hkdf;
import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;

/**
 * The key a snapshot file is sealed under: HKDF-SHA256 from the root key with the file's own random salt and an info
 * string no other Coffer key uses, so a backup key opens nothing else and no two files share one.
 */
final class SnapshotKey {
    static final String INFO = "coffer:backup:v1";
    private static final String CHECK_INFO = "coffer:backup:v1:key-check";
    static final int SALT_LENGTH = 32;

    private SnapshotKey() {}

    static Aead derive(SecretBytes rootKey, byte[] salt) {
        try (SecretBytes key = SecretBytes.wrap(Hkdf.derive(rootKey.bytes(), salt, bytes(INFO), Aead.KEY_LENGTH))) {
            return Aead.aes256Gcm(key);
        }
    }

    /** A public value that matches only for the same root key and salt: tells "wrong key" from "damaged file". */
    static byte[] check(SecretBytes rootKey, byte[] salt) {
        return Hkdf.derive(rootKey.bytes(), salt, bytes(CHECK_INFO), 32);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
