package dev.coffer.server.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import dev.coffer.server.testkit.RawClient;
import dev.coffer.server.testkit.ServerMain;
import dev.coffer.server.testkit.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What a server does with its data directory: owner-only key files in an owner-only
 * directory, an admin.credentials any AWS tool can read, no secret key in anything it
 * prints, one server per directory, no plain HTTP beyond loopback unless asked, and a
 * self-signed certificate clients can trust.
 */
class DataDirectoryTest {
    private Path scratch;

    @BeforeEach
    void scratch() throws IOException {
        scratch = Files.createTempDirectory("coffer-datadir-");
    }

    @AfterEach
    void clean() {
        TestServer.deleteRecursively(scratch);
    }

    private static UnaryOperator<CofferConfig> listen(String host, boolean tlsSelfSigned, boolean insecureHttp) {
        return c -> new CofferConfig(c.dataDir(), host, c.listenPort(), c.accountId(), c.regions(), c.tlsCertificate(),
                c.tlsKey(), tlsSelfSigned, insecureHttp, c.purgeInterval());
    }

    private static Set<PosixFilePermission> mode(Path p) throws IOException {
        return Files.getPosixFilePermissions(p);
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (; t != null && !chain.contains(t); t = t.getCause()) chain.add(t);
        return chain;
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    // ---- files ----------------------------------------------------------------------------

    @Test
    void freshDataDirectory_isOwnerOnly_andItsKeyFilesAreOwnerReadWriteOnly() throws IOException {
        Path dir = scratch.resolve("data"); // does not exist yet: the server creates it
        TestServer server = TestServer.startOn(dir, c -> c, false);
        try {
            assertThat(mode(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(mode(dir.resolve("root.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(mode(dir.resolve("admin.credentials"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        } finally {
            server.stop();
        }
    }

    @Test
    void adminCredentials_isAnAwsSharedCredentialsFile_withProfileCofferAdmin_thatTheSdkCanUse() throws IOException {
        Path dir = scratch.resolve("data");
        TestServer server = TestServer.startOn(dir, c -> c, false);
        try {
            ProfileFile file = ProfileFile.builder().content(dir.resolve("admin.credentials"))
                    .type(ProfileFile.Type.CREDENTIALS).build();
            assertThat(file.profiles()).containsOnlyKeys("coffer-admin");
            Profile profile = file.profile("coffer-admin").orElseThrow();
            assertThat(profile.property("aws_access_key_id")).hasValueSatisfying(
                    id -> assertThat(id).matches("AKIA[A-Z2-7]{16}"));
            assertThat(profile.property("aws_secret_access_key")).hasValueSatisfying(
                    secret -> assertThat(secret.length()).as("secret key length").isEqualTo(40));

            try (SecretsManagerClient sm = SecretsManagerClient.builder()
                    .endpointOverride(server.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(ProfileCredentialsProvider.builder().profileFile(file).profileName("coffer-admin").build())
                    .httpClient(UrlConnectionHttpClient.create())
                    .build()) {
                assertThat(sm.listSecrets().secretList()).isEmpty();
            }
        } finally {
            server.stop();
        }
    }

    // ---- nothing secret in what the server prints -----------------------------------------------

    /** Things that must never appear in logs or console output. */
    private static List<String> secretsOf(Path dir, String secretValue) throws IOException {
        return List.of(TestServer.readCredentials(dir.resolve("admin.credentials")).secretAccessKey(),
                Files.readString(dir.resolve("root.key")).strip(), secretValue);
    }

    /** Successful and failing calls of every kind that might log something. */
    private static void exercise(TestServer server, String secretValue) {
        try (SecretsManagerClient sm = server.secretsManager()) {
            sm.createSecret(r -> r.name("logs/probe").secretString(secretValue));
            assertThat(sm.getSecretValue(r -> r.secretId("logs/probe")).secretString()).isEqualTo(secretValue);
        }
        RawClient raw = RawClient.of(server);
        raw.request("ListSecrets").secretKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").send();
        raw.request("ListSecrets").accessKeyId("AKIAIOSFODNN7EXAMPLE").send();
        raw.request("ListSecrets").signedAt(Instant.now().minus(Duration.ofMinutes(20))).send();
        raw.request("PutSecretValue").body("{\"SecretId\":\"logs/probe\",\"SecretString\":\"" + secretValue + "\"").send();
        raw.request("PutSecretValue").body("{\"SecretId\":\"logs/probe\",\"SecretBinary\":\"" + secretValue + "!\"}").send();
    }

    @Test
    void secretKeyRootKeyAndValues_neverAppearInTheServersLogEvents() throws IOException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(context);
        captured.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Map<Logger, Level> saved = new HashMap<>();
        for (String name : new String[] {org.slf4j.Logger.ROOT_LOGGER_NAME, "dev.coffer", "coffer.audit"}) {
            Logger l = context.getLogger(name);
            saved.put(l, l.getLevel());
            l.setLevel(Level.TRACE); // debug and trace events count too
        }
        // Only the capture sees these events: the console appenders are set aside meanwhile.
        List<Appender<ILoggingEvent>> console = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(console::add);
        console.forEach(root::detachAppender);
        root.addAppender(captured);
        Path dir = scratch.resolve("data");
        String value = "fake-value-logged-never-9Hq";
        try {
            TestServer server = TestServer.startOn(dir, c -> c, false);
            try {
                exercise(server, value);
            } finally {
                server.stop();
            }
        } finally {
            root.detachAppender(captured);
            console.forEach(root::addAppender);
            saved.forEach(Logger::setLevel);
        }

        List<String> texts = new ArrayList<>();
        for (ILoggingEvent e : captured.list) {
            texts.add(e.getFormattedMessage());
            texts.add(String.valueOf(e.getMDCPropertyMap()));
            if (e.getArgumentArray() != null) for (Object a : e.getArgumentArray()) texts.add(String.valueOf(a));
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) texts.add(t.getMessage());
        }
        assertThat(captured.list).as("log events captured (audit lines at least)").isNotEmpty();
        for (String secret : secretsOf(dir, value)) {
            assertThat(texts).as("log events").noneMatch(t -> t != null && t.contains(secret));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void secretKeyRootKeyAndValues_neverAppearOnTheServerProcessStdoutOrStderr() throws Exception {
        Path dir = scratch.resolve("data");
        Path output = scratch.resolve("server.out");
        Process process = startServerProcess(dir, output);
        String value = "fake-value-printed-never-4Zt";
        try {
            var endpoint = awaitReady(output, process);
            RawClient raw = new RawClient(endpoint, TestServer.readCredentials(dir.resolve("admin.credentials")));
            assertThat(raw.call("CreateSecret", "{\"Name\":\"logs/probe\",\"SecretString\":\"" + value
                    + "\",\"ClientRequestToken\":\"12345678-1234-1234-1234-123456789012\"}").status()).isEqualTo(200);
            assertThat(raw.call("GetSecretValue", "{\"SecretId\":\"logs/probe\"}").status()).isEqualTo(200);
            raw.request("ListSecrets").secretKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").send();
            raw.request("ListSecrets").signedAt(Instant.now().minus(Duration.ofMinutes(20))).send();
            raw.request("PutSecretValue").body("{\"SecretId\":\"logs/probe\",\"SecretString\":\"" + value + "\"").send();
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        String printed = Files.readString(output);
        // Its READY line, among log lines that may come before it (the singleton jobs start beside it).
        assertThat(printed.lines()).anyMatch(line -> line.startsWith("READY "));
        for (String secret : secretsOf(dir, value)) {
            assertThat(printed.contains(secret)).as("the server printed a secret").isFalse();
        }
    }

    private static Process startServerProcess(Path dataDir, Path output) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ServerMain.class.getName(), "--data-dir", dataDir.toString(), "--port", "0")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** Waits for the child's READY line (or its death) in its output file. */
    private static java.net.URI awaitReady(Path output, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(output)) {
                if (line.startsWith("READY ")) return java.net.URI.create(line.substring(6).trim());
            }
            if (!process.isAlive()) break;
            Thread.sleep(50);
        }
        throw new AssertionError("the server process did not become ready:\n" + Files.readString(output));
    }

    // ---- one server per directory ---------------------------------------------------------

    @Test
    void secondServerOnTheSameDataDirectory_inAnotherProcess_refusesToStart() throws Exception {
        Path dir = scratch.resolve("data");
        TestServer first = TestServer.startOn(dir, c -> c, false);
        try {
            Path output = scratch.resolve("second.out");
            Process second = startServerProcess(dir, output);
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("the second server exits").isTrue();
            assertThat(second.exitValue()).isNotZero();
            String printed = Files.readString(output);
            assertThat(printed).doesNotContain("READY").contains("another Coffer server is already running");
            // The first one is unaffected.
            assertThat(RawClient.of(first).call("ListSecrets", "{}").status()).isEqualTo(200);
        } finally {
            first.stop();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void secondServerOnTheSameDataDirectory_inThisProcess_refusesToStart_andTheFirstKeepsTheDirectoryLocked()
            throws Exception {
        Path dir = scratch.resolve("data");
        TestServer first = TestServer.startOn(dir, c -> c, false);
        try {
            assertThatThrownBy(() -> TestServer.startOn(dir, c -> c, false))
                    .satisfies(e -> assertThat(rootCause(e)).hasMessageContaining("another Coffer server is already running"));
            // The refused attempt must not have released the first server's lock: another process still may not start.
            Path output = scratch.resolve("third.out");
            Process third = startServerProcess(dir, output);
            boolean exited = third.waitFor(60, TimeUnit.SECONDS);
            if (!exited) third.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(exited).as("a server in another process started on a directory still in use").isTrue();
            assertThat(Files.readString(output)).doesNotContain("READY").contains("another Coffer server is already running");
            assertThat(RawClient.of(first).call("ListSecrets", "{}").status()).isEqualTo(200);
        } finally {
            first.stop();
        }
    }

    @Test
    void aStoppedServersDirectory_canBeOpenedAgain() {
        Path dir = scratch.resolve("data");
        TestServer.startOn(dir, c -> c, false).stop();
        TestServer again = TestServer.startOn(dir, c -> c, false);
        again.stop();
    }

    // ---- network exposure -----------------------------------------------------------------

    @Test
    void nonLoopbackListenWithoutTlsOrInsecureHttp_refusesToStart_beforeTouchingTheDataDirectory() {
        Path dir = scratch.resolve("data");
        assertThatThrownBy(() -> TestServer.startOn(dir, listen("0.0.0.0", false, false), false))
                .satisfies(e -> assertThat(rootCause(e)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("0.0.0.0")
                        .hasMessageContaining("--tls-self-signed")
                        .hasMessageContaining("--insecure-http"));
        assertThat(dir).doesNotExist();
    }

    @Test
    void nonLoopbackListenWithInsecureHttp_starts() {
        TestServer server = TestServer.startOn(scratch.resolve("data"), listen("0.0.0.0", false, true), false);
        try {
            assertThat(server.endpoint().getScheme()).isEqualTo("http");
        } finally {
            server.stop();
        }
    }

    @Test
    void nonLoopbackListenWithSelfSignedTls_starts() {
        TestServer server = TestServer.startOn(scratch.resolve("data"), listen("0.0.0.0", true, false), false);
        try {
            assertThat(server.endpoint().getScheme()).isEqualTo("https");
        } finally {
            server.stop();
        }
    }

    // ---- TLS --------------------------------------------------------------------------------

    private static TrustManagerFactory trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("coffer", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }

    @Test
    void selfSignedTls_theSdkTrustingTheWrittenPem_canCallOverHttps() throws Exception {
        Path dir = scratch.resolve("data");
        TestServer server = TestServer.startOn(dir, listen("127.0.0.1", true, false), false);
        try {
            assertThat(server.endpoint().getScheme()).isEqualTo("https");
            Path pem = dir.resolve("tls").resolve("self-signed.pem");
            assertThat(Files.readString(pem)).contains("BEGIN CERTIFICATE").doesNotContain("PRIVATE KEY");
            Path key = dir.resolve("tls").resolve("self-signed-key.pem");
            try (Stream<Path> tlsFiles = Files.list(pem.getParent())) {
                assertThat(tlsFiles).as("files written for TLS").containsExactlyInAnyOrder(pem, key);
            }
            // the key is kept so the certificate survives restarts, readable by the owner only
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            TrustManagerFactory tmf = trusting(pem);

            try (SecretsManagerClient sm = SecretsManagerClient.builder()
                    .endpointOverride(server.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(() -> server.adminCredentials())
                    .httpClient(UrlConnectionHttpClient.builder().tlsTrustManagersProvider(tmf::getTrustManagers).build())
                    .build()) {
                sm.createSecret(r -> r.name("tls/probe").secretString("fake-value-over-tls"));
                assertThat(sm.getSecretValue(r -> r.secretId("tls/probe")).secretString()).isEqualTo("fake-value-over-tls");
            }

            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            RawClient.Response r = new RawClient(server.endpoint(), server.adminCredentials(), ssl).call("ListSecrets", "{}");
            assertThat(r.status()).as("%s", r).isEqualTo(200);
        } finally {
            server.stop();
        }
    }

    @Test
    void selfSignedTls_isTheSameCertificateAfterARestart() throws Exception {
        Path dir = scratch.resolve("data");
        Path pem = dir.resolve("tls").resolve("self-signed.pem");
        TestServer first = TestServer.startOn(dir, listen("127.0.0.1", true, false), false);
        String before = Files.readString(pem);
        first.stop();
        TestServer second = TestServer.startOn(dir, listen("127.0.0.1", true, false), false);
        try {
            assertThat(Files.readString(pem)).isEqualTo(before);
            TrustManagerFactory tmf = trusting(pem);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            RawClient.Response r = new RawClient(second.endpoint(), second.adminCredentials(), ssl).call("ListSecrets", "{}");
            assertThat(r.status()).as("%s", r).isEqualTo(200);
        } finally {
            second.stop();
        }
    }

    @Test
    void selfSignedTls_aClientThatDoesNotTrustThePem_isRefusedTheHandshake() {
        TestServer server = TestServer.startOn(scratch.resolve("data"), listen("127.0.0.1", true, false), false);
        try (SecretsManagerClient sm = SecretsManagerClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(() -> server.adminCredentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(30)))
                .build()) {
            assertThatThrownBy(sm::listSecrets).isInstanceOf(SdkClientException.class)
                    .satisfies(e -> assertThat(causes(e)).hasAtLeastOneElementOfType(SSLHandshakeException.class));
        } finally {
            server.stop();
        }
    }
}
