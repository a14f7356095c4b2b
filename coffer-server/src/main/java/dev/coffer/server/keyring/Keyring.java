package dev.coffer.server.keyring;

import dev.coffer.crypto.Aead;
import dev.coffer.crypto.DecryptionFailedException;
import dev.coffer.crypto.Envelope;
import dev.coffer.crypto.Hashing;
import dev.coffer.crypto.Hkdf;
import dev.coffer.crypto.Keyset;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.seal.RootKeySource;
import dev.coffer.server.store.KeyringRepository.WrappedKey;
import dev.coffer.server.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The only code that holds key material.
 *
 * <p>Guarantees: every secret value and access-key secret reaches the store only as an
 * envelope — a fresh 256-bit data key per value, AES-GCM, the data key wrapped by a
 * key-encryption key (KEK) — and each envelope is bound by associated data to the row
 * it belongs to, so a ciphertext copied to another secret, version or key fails to
 * open. KEKs live in the store wrapped by a key derived from the root key, which itself
 * never touches the database. Each envelope names the KEK that wrapped it, so KEKs can
 * rotate while old envelopes still open.
 *
 * <p>If the root key cannot unwrap the stored KEKs, the keyring refuses to open: a node
 * with the wrong root key must not start and must not create fresh keys beside the
 * real ones.
 */
public final class Keyring {
    static final String SECRETS = "secret-values";
    static final String CREDENTIALS = "credentials";
    /** The HMAC key of rows that decide access (identities, policies, access keys, resource policies). */
    static final String ROW_INTEGRITY = "row-integrity";

    private final Keyset secretKeys;
    private final Keyset credentialKeys;
    private final byte[] rowIntegrityKey;
    private final boolean rowIntegrityKeyCreated;

    private Keyring(Keyset secretKeys, Keyset credentialKeys, byte[] rowIntegrityKey, boolean rowIntegrityKeyCreated) {
        this.secretKeys = secretKeys;
        this.credentialKeys = credentialKeys;
        this.rowIntegrityKey = rowIntegrityKey;
        this.rowIntegrityKeyCreated = rowIntegrityKeyCreated;
    }

    /** Loads the KEKs, creating the first ones in an empty store. */
    public static Keyring open(RootKeySource rootKeySource, Store store, Clock clock) {
        Aead rootWrap;
        try (SecretBytes root = rootKeySource.rootKey()) {
            byte[] derived = Hkdf.derive(root.bytes(), "coffer-keyring".getBytes(StandardCharsets.UTF_8),
                    "root-wrap-v1".getBytes(StandardCharsets.UTF_8), 32);
            try (SecretBytes wrapKey = SecretBytes.wrap(derived)) {
                rootWrap = Aead.aes256Gcm(wrapKey);
            }
        }
        Keyset secrets = loadOrCreate(store, rootWrap, SECRETS, clock);
        Keyset credentials = loadOrCreate(store, rootWrap, CREDENTIALS, clock);
        // Stores from before the IAM work gain the row-integrity key on their first open.
        boolean created = store.read(tx -> tx.keyring().all(ROW_INTEGRITY)).isEmpty();
        byte[] rowIntegrity = primaryMaterial(store, rootWrap, ROW_INTEGRITY, clock);
        return new Keyring(secrets, credentials, rowIntegrity, created);
    }

    /** The raw primary key of a purpose whose key is used as a MAC key, not as an AEAD. */
    private static byte[] primaryMaterial(Store store, Aead rootWrap, String purpose, Clock clock) {
        List<WrappedKey> rows = loadOrCreateRows(store, rootWrap, purpose, clock);
        for (WrappedKey row : rows) {
            if (!row.primary()) continue;
            try {
                return rootWrap.decrypt(row.wrappedKey(), kekAad(purpose, row.keyId()));
            } catch (DecryptionFailedException e) {
                throw new IllegalStateException("the root key does not match this store: it cannot unwrap key "
                        + row.keyId() + " (" + purpose + ")");
            }
        }
        throw new IllegalStateException("no primary " + purpose + " key in the store");
    }

    private static Keyset loadOrCreate(Store store, Aead rootWrap, String purpose, Clock clock) {
        List<WrappedKey> rows = loadOrCreateRows(store, rootWrap, purpose, clock);
        return keyset(rows, rootWrap, purpose);
    }

    private static List<WrappedKey> loadOrCreateRows(Store store, Aead rootWrap, String purpose, Clock clock) {
        List<WrappedKey> rows = store.read(tx -> tx.keyring().all(purpose));
        if (rows.isEmpty()) {
            rows = store.write(tx -> {
                List<WrappedKey> existing = tx.keyring().all(purpose);
                if (!existing.isEmpty()) return existing; // another node created them first
                try (SecretBytes kek = Aead.newKey()) {
                    int keyId = firstKeyId(purpose);
                    WrappedKey row = new WrappedKey(keyId, purpose, rootWrap.encrypt(kek.bytes(), kekAad(purpose, keyId)),
                            true, clock.millis());
                    tx.keyring().insert(row);
                    return List.of(row);
                }
            });
        }
        return rows;
    }

    private static Keyset keyset(List<WrappedKey> rows, Aead rootWrap, String purpose) {
        Map<Integer, Aead> keys = new HashMap<>();
        int primary = -1;
        for (WrappedKey row : rows) {
            byte[] material;
            try {
                material = rootWrap.decrypt(row.wrappedKey(), kekAad(purpose, row.keyId()));
            } catch (DecryptionFailedException e) {
                throw new IllegalStateException("the root key does not match this store: it cannot unwrap key "
                        + row.keyId() + " (" + purpose + ")");
            }
            try (SecretBytes kek = SecretBytes.wrap(material)) {
                keys.put(row.keyId(), Aead.aes256Gcm(kek));
            }
            if (row.primary()) primary = row.keyId();
        }
        return new Keyset(keys, primary);
    }

    /** Key ids differ across purposes so an envelope can never be opened by the wrong keyset by accident. */
    private static int firstKeyId(String purpose) {
        return switch (purpose) {
            case SECRETS -> 1;
            case CREDENTIALS -> 1_000_001;
            default -> 2_000_001;
        };
    }

    private static byte[] kekAad(String purpose, int keyId) {
        return ("coffer:kek:v1\0" + purpose + "\0" + keyId).getBytes(StandardCharsets.UTF_8);
    }

    // ---- secret values ------------------------------------------------------------------

    /** A sealed value and the id of the KEK that wrapped its data key. */
    public record Sealed(int keyId, byte[] envelope) {}

    public Sealed sealSecretValue(SecretValueBinding binding, byte[] plaintext) {
        byte[] envelope = Envelope.seal(secretKeys, plaintext, binding.associatedData());
        return new Sealed(Envelope.keyIdOf(envelope), envelope);
    }

    /** Opens a sealed value; {@link DecryptionFailedException} if it was altered or moved. */
    public SecretBytes openSecretValue(SecretValueBinding binding, byte[] envelope) {
        return SecretBytes.wrap(Envelope.open(secretKeys, envelope, binding.associatedData()));
    }

    // ---- access-key secrets --------------------------------------------------------------

    public byte[] sealAccessKeySecret(String accessKeyId, String accountId, String principalArn, byte[] secret) {
        return Envelope.seal(credentialKeys, secret, credentialAad(accessKeyId, accountId, principalArn));
    }

    public SecretBytes openAccessKeySecret(String accessKeyId, String accountId, String principalArn, byte[] sealed) {
        return SecretBytes.wrap(Envelope.open(credentialKeys, sealed, credentialAad(accessKeyId, accountId, principalArn)));
    }

    private static byte[] credentialAad(String accessKeyId, String accountId, String principalArn) {
        return ("coffer:access-key:v1\0" + accessKeyId + "\0" + accountId + "\0" + principalArn)
                .getBytes(StandardCharsets.UTF_8);
    }

    // ---- session tokens ------------------------------------------------------------------

    /**
     * Seals what a session token carries (its claims and its secret key). The token is the
     * envelope itself, so any node holding the keyring can open it without a database row;
     * the access key id is bound as associated data, so a token presented with another
     * key id fails.
     */
    public byte[] sealSessionToken(String accessKeyId, byte[] claims) {
        return Envelope.seal(credentialKeys, claims, sessionTokenAad(accessKeyId));
    }

    /** Opens a session token; {@link DecryptionFailedException} if it was forged, altered or paired with another key id. */
    public SecretBytes openSessionToken(String accessKeyId, byte[] sealed) {
        return SecretBytes.wrap(Envelope.open(credentialKeys, sealed, sessionTokenAad(accessKeyId)));
    }

    private static byte[] sessionTokenAad(String accessKeyId) {
        return ("coffer:session-token:v1\0" + accessKeyId).getBytes(StandardCharsets.UTF_8);
    }

    // ---- row integrity -------------------------------------------------------------------

    /**
     * The canonical bytes of a row's fields for {@link #mac}: each field length-prefixed UTF-8, null
     * distinct from the empty string, so no two different rows encode alike.
     */
    public static byte[] canonicalRow(String... fields) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        for (String f : fields) {
            if (f == null) {
                out.write(0xff);
                continue;
            }
            byte[] b = f.getBytes(StandardCharsets.UTF_8);
            out.write(0x01);
            out.write(b.length >>> 24);
            out.write(b.length >>> 16);
            out.write(b.length >>> 8);
            out.write(b.length);
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    /**
     * The MAC of a row that decides access: HMAC-SHA256 under the row-integrity key over the row's
     * kind and its canonical bytes (which must include the row's identity: account, primary key).
     * The key never leaves the keyring.
     */
    public byte[] mac(String rowKind, byte[] canonicalRow) {
        return Hashing.hmacSha256(rowIntegrityKey, macInput(rowKind, canonicalRow));
    }

    /**
     * True when this open created the row-integrity key: the store predates row MACs (or is new), so
     * rows without a MAC may be adopted once. Never true again for the same store.
     */
    public boolean rowIntegrityKeyCreated() {
        return rowIntegrityKeyCreated;
    }

    /** True when {@code mac} is the MAC of the row; false for a missing, altered or moved row. */
    public boolean verifyMac(String rowKind, byte[] canonicalRow, byte[] mac) {
        if (mac == null) return false;
        return Hashing.constantTimeEquals(mac(rowKind, canonicalRow), mac);
    }

    private static byte[] macInput(String rowKind, byte[] canonicalRow) {
        byte[] kind = ("coffer:row-mac:v1\0" + rowKind + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[kind.length + canonicalRow.length];
        System.arraycopy(kind, 0, input, 0, kind.length);
        System.arraycopy(canonicalRow, 0, input, kind.length, canonicalRow.length);
        return input;
    }
}
