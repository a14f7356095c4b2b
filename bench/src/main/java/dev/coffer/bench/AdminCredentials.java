package dev.coffer.bench;

import dev.coffer.crypto.SigV4Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads one profile of an AWS shared-credentials file (the {@code admin.credentials} Coffer writes). */
final class AdminCredentials {
    private AdminCredentials() {
    }

    static SigV4Signer.Credentials read(Path file, String profile) throws IOException {
        String section = null;
        String keyId = null;
        String secret = null;
        String token = null;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0 || !profile.equals(section)) continue;
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            switch (key) {
                case "aws_access_key_id" -> keyId = value;
                case "aws_secret_access_key" -> secret = value;
                case "aws_session_token" -> token = value;
                default -> { }
            }
        }
        if (keyId == null || secret == null) {
            throw new IOException("no aws_access_key_id / aws_secret_access_key in profile [" + profile + "] of " + file);
        }
        return new SigV4Signer.Credentials(keyId, secret, token);
    }
}
