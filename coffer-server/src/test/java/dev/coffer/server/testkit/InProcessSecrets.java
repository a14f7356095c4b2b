package dev.coffer.server.testkit;

import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.seal.FileRootKeySource;
import dev.coffer.server.secrets.SecretsManagerService;
import dev.coffer.server.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Secrets Manager service on a real store ({@link TestStores}: SQLite, or PostgreSQL when asked)
 * and keyring, without HTTP, driven
 * with a {@link MutableClock}: for rules that depend on time passing (recovery windows,
 * version cleanup), which the SDK cannot reach because it signs with the real time.
 */
public final class InProcessSecrets implements AutoCloseable {
    public final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    public final Store store;
    private final Path dir;
    private final Map<String, Operation<?, ?>> operations;
    private final CallContext context = new CallContext(
            new Principal("111122223333", "arn:aws:iam::111122223333:user/coffer-admin", "AIDAEXAMPLE", "AKIAEXAMPLE",
                    Principal.Kind.USER),
            "111122223333", "us-east-1", "test-request", "127.0.0.1", "test");

    public InProcessSecrets() {
        try {
            dir = Files.createTempDirectory("coffer-inprocess-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = TestStores.open(dir);
        Keyring keyring = Keyring.open(FileRootKeySource.createIfMissing(dir.resolve("root.key")), store, clock);
        operations = new SecretsManagerService(store, keyring, clock, new SecureRandom(), region -> true).operations()
                .stream().collect(Collectors.toMap(Operation::name, o -> o));
    }

    /** Calls an operation as the administrator; returns its typed result. */
    @SuppressWarnings("unchecked")
    public <R> R call(String operation, Object request) {
        return (R) operations.get(operation).invoke(context, request);
    }

    @Override
    public void close() {
        store.close();
        TestServer.deleteRecursively(dir);
    }
}
