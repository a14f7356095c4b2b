package dev.coffer.crypto;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Versioned key-encryption keys, for rotation: new data is always sealed under the primary key, while older keys stay
 * available (by id) to open what they sealed.
 *
 * <p>Guarantees: immutable after construction; the primary key is always present; asking for an unknown id throws
 * {@link DecryptionFailedException}, so a tampered or foreign key id in a ciphertext fails exactly like any other
 * decryption failure. Thread-safe.
 */
public final class Keyset {

    private final Map<Integer, Aead> keys;
    private final int primaryId;

    /**
     * @param keys key id to key; copied, must not contain nulls
     * @param primaryId the id new data is sealed under; must be in {@code keys}
     * @throws IllegalArgumentException if {@code primaryId} is not in {@code keys}
     */
    public Keyset(Map<Integer, Aead> keys, int primaryId) {
        this.keys = Map.copyOf(Objects.requireNonNull(keys, "keys"));
        if (!this.keys.containsKey(primaryId)) {
            throw new IllegalArgumentException("primary key id " + primaryId + " is not in the keyset");
        }
        this.primaryId = primaryId;
    }

    /** The id of the key new data is sealed under. */
    public int primaryId() {
        return primaryId;
    }

    /** The key new data is sealed under. */
    public Aead primary() {
        return keys.get(primaryId);
    }

    /**
     * The key with this id.
     *
     * @throws DecryptionFailedException if there is none (the id came from a ciphertext, so this is a decryption
     *     failure)
     */
    public Aead get(int keyId) {
        Aead key = keys.get(keyId);
        if (key == null) {
            throw new DecryptionFailedException();
        }
        return key;
    }

    /** All key ids, in ascending order, unmodifiable. */
    public Set<Integer> keyIds() {
        return Collections.unmodifiableSet(new TreeSet<>(keys.keySet()));
    }

    @Override
    public String toString() {
        return "Keyset[primary=" + primaryId + ", ids=" + keyIds() + "]";
    }
}
