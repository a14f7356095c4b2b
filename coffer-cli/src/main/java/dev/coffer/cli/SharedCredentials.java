package dev.coffer.cli;

import dev.coffer.crypto.SigV4Signer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the {@code coffer} verbs get credentials, as the AWS CLI does: an explicit {@code --profile}
 * from the shared credentials file; otherwise {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}
 * (and {@code AWS_SESSION_TOKEN}) from the environment; otherwise the profile {@code AWS_PROFILE} names,
 * or {@code coffer-admin}. The file is {@code --credentials-file}, else {@code ./coffer-data/admin.credentials}
 * when it exists (the file a local server writes), else {@code AWS_SHARED_CREDENTIALS_FILE}, else
 * {@code ~/.aws/credentials}.
 */
final class SharedCredentials {
    static final String DEFAULT_PROFILE = "coffer-admin";
    static final Path LOCAL_ADMIN_FILE = Path.of("coffer-data", "admin.credentials");

    private SharedCredentials() {}

    /** Credentials that cannot be found; the message says where they were looked for, never a secret. */
    static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    static SigV4Signer.Credentials resolve(String explicitProfile, Path explicitFile, Map<String, String> env) {
        if (explicitProfile == null) {
            String keyId = env.get("AWS_ACCESS_KEY_ID");
            String secret = env.get("AWS_SECRET_ACCESS_KEY");
            if (notBlank(keyId) && notBlank(secret)) {
                String token = env.get("AWS_SESSION_TOKEN");
                return new SigV4Signer.Credentials(keyId, secret, notBlank(token) ? token : null);
            }
        }
        String profile = explicitProfile != null ? explicitProfile
                : notBlank(env.get("AWS_PROFILE")) ? env.get("AWS_PROFILE") : DEFAULT_PROFILE;
        Path file = file(explicitFile, env);
        if (!Files.isRegularFile(file)) {
            throw new NotFound("Unable to locate credentials: no credentials file at " + file
                    + " (give --credentials-file, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
        }
        Map<String, String> values = read(file).get(profile);
        if (values == null) throw new NotFound("The config profile (" + profile + ") could not be found in " + file);
        String keyId = values.get("aws_access_key_id");
        String secret = values.get("aws_secret_access_key");
        if (!notBlank(keyId) || !notBlank(secret)) {
            throw new NotFound("The profile (" + profile + ") in " + file + " has no aws_access_key_id and aws_secret_access_key");
        }
        String token = values.get("aws_session_token");
        return new SigV4Signer.Credentials(keyId, secret, notBlank(token) ? token : null);
    }

    static Path file(Path explicitFile, Map<String, String> env) {
        if (explicitFile != null) return explicitFile;
        if (Files.isRegularFile(LOCAL_ADMIN_FILE)) return LOCAL_ADMIN_FILE;
        if (notBlank(env.get("AWS_SHARED_CREDENTIALS_FILE"))) return Path.of(env.get("AWS_SHARED_CREDENTIALS_FILE"));
        return Path.of(System.getProperty("user.home"), ".aws", "credentials");
    }

    /** profile → key → value, from an INI file ({@code [name]} sections, {@code key = value}, {@code #}/{@code ;} comments). */
    static Map<String, Map<String, String>> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, Map<String, String>> profiles = new HashMap<>();
        Map<String, String> current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.startsWith("[") && line.endsWith("]")) {
                String name = line.substring(1, line.length() - 1).strip();
                if (name.startsWith("profile ")) name = name.substring("profile ".length()).strip();
                current = profiles.computeIfAbsent(name, k -> new HashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (current != null && eq > 0) current.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return profiles;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
