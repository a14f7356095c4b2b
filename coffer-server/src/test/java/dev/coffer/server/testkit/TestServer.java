package dev.coffer.server.testkit;

import dev.coffer.server.bootstrap.CofferConfig;
import dev.coffer.server.bootstrap.CofferServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A real Coffer server for a test: its own temporary data directory, a free loopback
 * port, the real HTTP edge and store. Clients get the bootstrap administrator's
 * credentials from the {@code admin.credentials} file the server wrote, as a user would.
 *
 * <p>With {@code -Dcoffer.test.storage=postgresql} a server that does not choose its own storage runs on
 * a fresh PostgreSQL database instead of SQLite ({@link TestPostgres}); the same tests then check the
 * API on both engines.
 */
public final class TestServer implements AutoCloseable {
    public static final String REGION = "us-east-1";

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final CofferServer server;
    private final AwsBasicCredentials admin;

    private TestServer(Path dataDir, boolean ownsDataDir, CofferServer server) {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.server = server;
        this.admin = readCredentials(server.adminCredentialsFile());
    }

    public static TestServer start() {
        return start(b -> b);
    }

    /** Starts with a config adjusted by {@code customize} (a fresh temporary data dir). */
    public static TestServer start(java.util.function.UnaryOperator<CofferConfig> customize) {
        try {
            Path dir = Files.createTempDirectory("coffer-test-");
            return startOn(dir, customize, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts with a clock the test moves (a fresh temporary data dir). */
    public static TestServer start(java.util.function.UnaryOperator<CofferConfig> customize, java.time.Clock clock) {
        try {
            return startOn(Files.createTempDirectory("coffer-test-"), customize, true, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts on an existing data directory, e.g. to check what survives a restart. */
    public static TestServer startOn(Path dataDir, java.util.function.UnaryOperator<CofferConfig> customize, boolean owns) {
        return startOn(dataDir, customize, owns, java.time.Clock.systemUTC());
    }

    /** Starts on an existing data directory with a clock the test moves (several nodes may share one). */
    public static TestServer startOn(Path dataDir, java.util.function.UnaryOperator<CofferConfig> customize, boolean owns,
                                     java.time.Clock clock) {
        CofferConfig base = new CofferConfig(dataDir, "127.0.0.1", 0, null, Set.of(), null, null, false, false,
                Duration.ofMinutes(1));
        CofferConfig config = customize.apply(base);
        if (config.storage() == null && TestPostgres.requested()) {
            // The root key stays the data directory's root.key, as on SQLite, so a restart there finds both.
            config = config.withStorage(TestPostgres.storageUrl(TestPostgres.databaseFor(dataDir)), null, config.rootKeyFile());
        }
        try {
            return new TestServer(dataDir, owns, CofferServer.start(config, clock));
        } catch (Exception e) {
            throw new IllegalStateException("test server did not start", e);
        }
    }

    public URI endpoint() {
        return server.endpoint();
    }

    public Path dataDir() {
        return dataDir;
    }

    public String accountId() {
        return server.accountId();
    }

    public AwsBasicCredentials adminCredentials() {
        return admin;
    }

    public Path adminCredentialsFile() {
        return server.adminCredentialsFile();
    }

    public SecretsManagerClient secretsManager() {
        return secretsManager(REGION);
    }

    public SecretsManagerClient secretsManager(String region) {
        return SecretsManagerClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(admin))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    /** Stops the server but keeps the data directory. */
    public void stop() {
        server.close();
    }

    @Override
    public void close() {
        server.close();
        if (ownsDataDir) deleteRecursively(dataDir);
    }

    /** Reads the access key from an AWS shared-credentials file such as {@code admin.credentials}. */
    public static AwsBasicCredentials readCredentials(Path file) {
        try {
            Map<String, String> values = new HashMap<>();
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
            return AwsBasicCredentials.create(values.get("aws_access_key_id"), values.get("aws_secret_access_key"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory, first dropping the PostgreSQL database of any test server's data directory in it. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        TestPostgres.dropRecordedUnder(dir);
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
