package dev.coffer.server.bootstrap;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.seal.FileRootKeySource;
import dev.coffer.server.store.AccessKeyRepository.AccessKeyRow;
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
 * The first principal of a new deployment: user {@code coffer-admin}, whose access key is
 * written to {@code admin.credentials} (mode 0600) in the AWS shared-credentials format,
 * profile {@code [coffer-admin]}. The key is created once, in the same transaction that
 * records it as the bootstrap key; if the file is lost it is written again from the
 * (sealed) stored key on the next start.
 */
final class BootstrapAdministrator {
    static final String USER_NAME = "coffer-admin";
    static final String PROFILE = "coffer-admin";
    private static final String META_KEY = "bootstrap_admin_access_key";
    private static final String KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private BootstrapAdministrator() {}

    static String arn(String accountId) {
        return "arn:aws:iam::" + accountId + ":user/" + USER_NAME;
    }

    static void ensure(Store store, Keyring keyring, String accountId, Path credentialsFile, SecureRandom random,
                       Clock clock) {
        String principalArn = arn(accountId);
        Optional<String> existing = store.read(tx -> tx.meta().get(META_KEY));
        String accessKeyId = existing.orElseGet(() -> create(store, keyring, accountId, principalArn, random, clock));
        if (!Files.exists(credentialsFile)) {
            AccessKeyRow row = store.read(tx -> tx.accessKeys().find(accessKeyId)).orElseThrow(
                    () -> new IllegalStateException("the bootstrap access key " + accessKeyId + " is missing from the store"));
            try (SecretBytes secret = keyring.openAccessKeySecret(accessKeyId, accountId, principalArn, row.secretSealed())) {
                writeCredentials(credentialsFile, accessKeyId, secret);
            }
        }
    }

    private static String create(Store store, Keyring keyring, String accountId, String principalArn, SecureRandom random,
                                 Clock clock) {
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
                    tx.accessKeys().insert(new AccessKeyRow(accessKeyId, accountId, principalArn, USER_NAME, sealed,
                            "Active", clock.millis(), null));
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
