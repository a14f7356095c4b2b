package dev.coffer.server.seal;

import dev.coffer.crypto.SecretBytes;

/**
 * Where the root key comes from. Today a file; sealing with unseal keys, an HSM or an
 * external KMS are other sources behind this same interface. The root key never leaves
 * the keyring and is never stored in the database.
 */
public interface RootKeySource {

    /** The 32-byte root key. The caller owns the returned bytes and wipes them. */
    SecretBytes rootKey();

    /** Where the key came from, for logs (never the key). */
    String describe();
}
