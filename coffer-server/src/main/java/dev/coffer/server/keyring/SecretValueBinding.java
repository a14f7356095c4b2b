package dev.coffer.server.keyring;

import java.nio.charset.StandardCharsets;

/**
 * What a sealed secret value is bound to: the account, the ARN of the secret that owns
 * the version, the version id, and whether the value is a string or binary. Any of these
 * differing on open makes decryption fail, so a ciphertext moved to another row — or a
 * flipped type flag — is refused rather than served.
 */
public record SecretValueBinding(String accountId, String secretArn, String versionId, char valueType) {

    byte[] associatedData() {
        return ("coffer:secret-value:v1\0" + accountId + "\0" + secretArn + "\0" + versionId + "\0" + valueType)
                .getBytes(StandardCharsets.UTF_8);
    }
}
