package dev.coffer.server.secrets;

import dev.coffer.crypto.DecryptionFailedException;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.keyring.SecretValueBinding;
import dev.coffer.server.store.SecretRow;
import dev.coffer.server.store.VersionRow;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns request values into sealed versions and back, through the keyring. A version is
 * bound to the ARN of the secret that owns its versions (the primary, for a replica).
 */
final class SecretValues {
    static final int MAX_VALUE_BYTES = 65536;

    private final Keyring keyring;

    SecretValues(Keyring keyring) {
        this.keyring = keyring;
    }

    /** A value from a request: its type and its bytes (UTF-8 for strings). */
    record NewValue(char type, byte[] bytes) {
        @Override
        public String toString() {
            return "NewValue[" + type + ", " + bytes.length + " bytes]";
        }

        boolean sameAs(char otherType, byte[] otherBytes) {
            return type == otherType && Arrays.equals(bytes, otherBytes);
        }
    }

    /** The value a request carries, or null; refuses both kinds at once and oversize values. */
    static NewValue fromRequest(String secretString, byte[] secretBinary) {
        if (secretString != null && secretBinary != null) throw SecretErrors.bothValueKinds();
        NewValue value = null;
        if (secretString != null) value = new NewValue(VersionRow.STRING, secretString.getBytes(StandardCharsets.UTF_8));
        if (secretBinary != null) value = new NewValue(VersionRow.BINARY, secretBinary);
        if (value != null && value.bytes().length > MAX_VALUE_BYTES) {
            String member = value.type() == VersionRow.STRING ? "secretString" : "secretBinary";
            throw new ServiceException(ErrorCode.ValidationException, "1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must have length less than or equal to " + MAX_VALUE_BYTES);
        }
        return value;
    }

    static String ownerArn(SecretRow secret) {
        return secret.isReplica() ? SecretNames.arnInRegion(secret.arn(), secret.primaryRegion()) : secret.arn();
    }

    Keyring.Sealed seal(SecretRow owner, String versionId, NewValue value) {
        return keyring.sealSecretValue(new SecretValueBinding(owner.accountId(), ownerArn(owner), versionId, value.type()),
                value.bytes());
    }

    /** Opens a version of {@code secret} (or of its primary, for a replica). */
    SecretBytes open(SecretRow secret, VersionRow version) {
        try {
            return keyring.openSecretValue(
                    new SecretValueBinding(secret.accountId(), ownerArn(secret), version.versionId(), version.valueType()),
                    version.sealedValue());
        } catch (DecryptionFailedException e) {
            throw new ServiceException(ErrorCode.DecryptionFailure,
                    "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");
        }
    }
}
