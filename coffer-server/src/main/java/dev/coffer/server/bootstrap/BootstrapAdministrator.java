package dev.coffer.server.bootstrap;

import dev.coffer.crypto.Hashing;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.identities.RowMacs;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.seal.FileRootKeySource;
import dev.coffer.server.store.AccessKeyRepository.AccessKeyRow;
import dev.coffer.server.store.IdentityRepository.AttachmentRow;
import dev.coffer.server.store.IdentityRepository.UserRow;
import dev.coffer.server.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * The first principal of a new deployment: the ordinary IAM user {@code coffer-admin} with
 * {@code AdministratorAccess} attached, whose access key is written to {@code admin.credentials}
 * (mode 0600) in the AWS shared-credentials format, profile {@code [coffer-admin]}. The user, the
 * attachment and the key are created once, in the transaction that records the key as the
 * bootstrap key; if the file is lost it is written again from the (sealed) stored key on the next
 * start. A data directory from before identities existed is upgraded on start: its bootstrap key
 * gains a user row (with the user id it always showed) and its MAC.
 */
final class BootstrapAdministrator {
    static final String USER_NAME = "coffer-admin";
    static final String PROFILE = "coffer-admin";
    private static final String META_KEY = "bootstrap_admin_access_key";
    private static final String KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    static final String ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";

    private BootstrapAdministrator() {}

    static String arn(String accountId) {
        return "arn:aws:iam::" + accountId + ":user/" + USER_NAME;
    }

    static void ensure(Store store, Keyring keyring, RowMacs macs, String accountId, Path credentialsFile, SecureRandom random,
                       Clock clock) {
        String principalArn = arn(accountId);
        Optional<String> existing = store.read(tx -> tx.meta().get(META_KEY));
        String accessKeyId = existing.orElseGet(() -> create(store, keyring, macs, accountId, principalArn, random, clock));
        if (keyring.rowIntegrityKeyCreated()) upgrade(store, macs, accountId, accessKeyId, clock);
        if (!Files.exists(credentialsFile)) {
            AccessKeyRow row = store.read(tx -> tx.accessKeys().find(accessKeyId)).orElseThrow(
                    () -> new IllegalStateException("the bootstrap access key " + accessKeyId + " is missing from the store"));
            try (SecretBytes secret = keyring.openAccessKeySecret(accessKeyId, accountId, principalArn, row.secretSealed())) {
                writeCredentials(credentialsFile, accessKeyId, secret);
            }
        }
    }

    /**
     * A bootstrap key written before identities existed has no owner id and no MAC: give it its user
     * (created with AdministratorAccess if missing) and its MAC. This runs only on the open that created
     * the row-integrity key (a store from before row MACs), so a later edit that strips the key's owner
     * cannot get a row re-adopted; only this one key is adopted, and only while it has no owner.
     */
    private static void upgrade(Store store, RowMacs macs, String accountId, String accessKeyId, Clock clock) {
        store.write(tx -> {
            Optional<AccessKeyRow> key = tx.accessKeys().find(accessKeyId);
            if (key.isEmpty() || key.get().userId() != null || !key.get().principalArn().equals(arn(accountId))) return null;
            UserRow user = tx.identities().findUser(accountId, USER_NAME).orElse(null);
            if (user == null) user = createUser(tx, macs, accountId, clock);
            AccessKeyRow k = key.get();
            AccessKeyRow owned = new AccessKeyRow(k.accessKeyId(), k.accountId(), k.principalArn(), user.userName(),
                    k.secretSealed(), k.status(), k.createdAt(), k.lastUsedAt(), user.userId(), k.lastUsedRegion(),
                    k.lastUsedService(), null);
            tx.accessKeys().updateOwnership(owned.withStatus(k.status(), macs.mac(owned)));
            return null;
        });
    }

    private static UserRow createUser(dev.coffer.server.store.Transaction tx, RowMacs macs, String accountId, Clock clock)
            throws java.sql.SQLException {
        UserRow row = new UserRow(accountId, userIdFor(arn(accountId)), USER_NAME, "/", arn(accountId), clock.millis(), null,
                "[]", null);
        row = new UserRow(row.accountId(), row.userId(), row.userName(), row.path(), row.arn(), row.createdAt(), null, "[]",
                macs.mac(row));
        tx.identities().insertUser(row);
        AttachmentRow attachment = new AttachmentRow(accountId, "user", row.userId(), ADMINISTRATOR_ACCESS, clock.millis(), null);
        tx.identities().attach(new AttachmentRow(accountId, "user", row.userId(), ADMINISTRATOR_ACCESS, attachment.attachedAt(),
                macs.mac(attachment)));
        return row;
    }

    /**
     * A store from before row MACs keeps its secrets' resource policies: on the open that created the
     * row-integrity key, each policy without a MAC gets one. (Later, a policy without a MAC is refused.)
     */
    static void sealResourcePolicies(Store store, Keyring keyring) {
        store.write(tx -> {
            for (dev.coffer.server.store.SecretRow s : tx.secrets().withUnsealedResourcePolicy()) {
                tx.secrets().setResourcePolicyMac(s.secretId(),
                        dev.coffer.server.secrets.ResourcePolicies.mac(keyring, s, s.resourcePolicy()));
            }
            return null;
        });
    }

    /** The user id the bootstrap administrator has always shown (derived from its ARN), so upgrades keep it. */
    static String userIdFor(String principalArn) {
        byte[] digest = Hashing.sha256(principalArn.getBytes(StandardCharsets.UTF_8));
        StringBuilder id = new StringBuilder("AIDA");
        for (int i = 0; i < 17; i++) id.append(KEY_ID_ALPHABET.charAt((digest[i] & 0xff) % KEY_ID_ALPHABET.length()));
        return id.toString();
    }

    private static String create(Store store, Keyring keyring, RowMacs macs, String accountId, String principalArn,
                                 SecureRandom random, Clock clock) {
        StringBuilder id = new StringBuilder("AKIA");
        for (int i = 0; i < 16; i++) id.append(KEY_ID_ALPHABET.charAt(random.nextInt(KEY_ID_ALPHABET.length())));
        String accessKeyId = id.toString();
        byte[] raw = new byte[30];
        random.nextBytes(raw);
        byte[] secret = Base64.getEncoder().encode(raw); // 40 characters, like an AWS secret key
        java.util.Arrays.fill(raw, (byte) 0);
        try (SecretBytes secretKey = SecretBytes.wrap(secret)) {
            byte[] sealed = keyring.sealAccessKeySecret(accessKeyId, accountId, principalArn, secretKey.bytes());
            return store.write(tx -> {
                String winner = tx.meta().putIfAbsent(META_KEY, accessKeyId);
                if (winner.equals(accessKeyId)) {
                    UserRow user = tx.identities().findUser(accountId, USER_NAME).orElse(null);
                    if (user == null) user = createUser(tx, macs, accountId, clock);
                    AccessKeyRow key = new AccessKeyRow(accessKeyId, accountId, principalArn, USER_NAME, sealed, "Active",
                            clock.millis(), null, user.userId(), null, null, null);
                    tx.accessKeys().insert(key.withStatus("Active", macs.mac(key)));
                }
                return winner;
            });
        }
    }

    private static void writeCredentials(Path file, String accessKeyId, SecretBytes secret) {
        String content = "[" + PROFILE + "]\n"
                + "aws_access_key_id = " + accessKeyId + "\n"
                + "aws_secret_access_key = " + new String(secret.bytes(), StandardCharsets.US_ASCII) + "\n";
        byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
        try {
            FileRootKeySource.writeOwnerOnly(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }
}
