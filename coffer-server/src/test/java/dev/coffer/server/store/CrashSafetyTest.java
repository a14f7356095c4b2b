package dev.coffer.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.testkit.RawClient;
import dev.coffer.server.testkit.ServerMain;
import dev.coffer.server.testkit.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kill -9 under write load: a Coffer server runs in its own JVM while 16 threads create
 * secrets and put new versions as fast as it answers; the JVM is SIGKILLed with writes in
 * flight and a new server opens the same data directory. Everything the dead server
 * acknowledged with a 200 must be there with the value the test wrote; anything in flight is
 * either wholly there or wholly absent; staging labels are consistent; SQLite says the file
 * is intact.
 *
 * <p>Each secret is written by one thread, one request at a time, so the test knows the
 * order of its versions, and at most one of them (the last) can be unacknowledged.
 */
class CrashSafetyTest {
    private static final int THREADS = 16;
    private static final Duration LOAD = Duration.ofSeconds(3);

    /** One version the test sent: its token (= version id), its value, whether a 200 came back. */
    static final class Sent {
        final String versionId;
        final String value;
        volatile boolean acked;

        Sent(String versionId, String value) {
            this.versionId = versionId;
            this.value = value;
        }
    }

    /** One secret, written only by the thread that created it. Read by the verifier after the writers ended. */
    static final class SecretLog {
        final String name;
        final List<Sent> versions = new ArrayList<>();
        volatile boolean createAcked;

        SecretLog(String name) {
            this.name = name;
        }

        int lastAcked() {
            for (int i = versions.size() - 1; i >= 0; i--) if (versions.get(i).acked) return i;
            return -1;
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void sigkillDuringConcurrentWrites_losesNothingAcknowledged_andLeavesAConsistentStore() throws Exception {
        Path dataDir = Files.createTempDirectory("coffer-crash-");
        Path log = Files.createTempFile("coffer-crash-server-", ".log");
        Process process = startServerProcess(dataDir, log);
        Map<String, SecretLog> secrets = new ConcurrentHashMap<>();
        try {
            URI endpoint = awaitReady(process, log);
            RawClient client = new RawClient(endpoint, TestServer.readCredentials(dataDir.resolve("admin.credentials")));

            AtomicBoolean killed = new AtomicBoolean();
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger acked = new AtomicInteger();
            AtomicInteger cutOff = new AtomicInteger();
            ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
            ExecutorService writers = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                running.add(writers.submit(() -> write(thread, client, secrets, killed, inFlight, acked, cutOff, unexpected)));
            }

            Thread.sleep(LOAD.toMillis());
            int inFlightAtKill;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            do {
                inFlightAtKill = inFlight.get();
            } while (inFlightAtKill < THREADS / 2 && System.nanoTime() < deadline);
            killed.set(true);
            process.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no checkpoint, no close
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (Future<?> f : running) f.get(60, TimeUnit.SECONDS);
            writers.shutdown();

            assertThat(unexpected).as("answers other than 200 before the kill").isEmpty();
            assertThat(inFlightAtKill).as("requests in flight when the server was killed").isPositive();
            assertThat(cutOff.get()).as("requests cut off by the kill").isPositive();
            assertThat(acked.get()).as("writes acknowledged before the kill").isGreaterThan(100);

            verifyAfterRestart(dataDir, secrets);
            assertIntegrity(dataDir.resolve("coffer.db"));
            System.out.printf("crash test: %d secrets, %d writes acknowledged, %d in flight at the kill, %d cut off, "
                    + "%d unacknowledged found committed%n", secrets.size(), acked.get(), inFlightAtKill, cutOff.get(),
                    committedUnacknowledged.get());
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            TestServer.deleteRecursively(dataDir);
            Files.deleteIfExists(log);
        }
    }

    // ---- the server process ------------------------------------------------------------

    private static Process startServerProcess(Path dataDir, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
                "--data-dir", dataDir.toString(), "--port", "0");
        pb.redirectError(log.toFile());
        return pb.start();
    }

    private static URI awaitReady(Process process, Path log) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon(true).unstarted(r));
        try {
            String line = reader.submit(out::readLine).get(60, TimeUnit.SECONDS);
            assertThat(line).as("first line from the server process (log: %s)", tail(log)).startsWith("READY ");
            Thread.ofPlatform().daemon(true).start(() -> drain(out)); // never let a full pipe block the server
            return URI.create(line.substring("READY ".length()).trim());
        } finally {
            reader.shutdown();
        }
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // discard
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    // ---- the load -------------------------------------------------------------------------

    private static void write(int thread, RawClient client, Map<String, SecretLog> secrets, AtomicBoolean killed,
                              AtomicInteger inFlight, AtomicInteger acked, AtomicInteger cutOff,
                              ConcurrentLinkedQueue<String> unexpected) {
        List<SecretLog> own = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!killed.get()) {
            String token = UUID.randomUUID().toString();
            String value = "fake-crash-value-" + token;
            boolean create = own.isEmpty() || random.nextInt(4) == 0;
            SecretLog secret;
            String op;
            String body;
            if (create) {
                secret = new SecretLog("crash/t" + thread + "-" + own.size());
                own.add(secret);
                secrets.put(secret.name, secret);
                op = "CreateSecret";
                body = "{\"Name\":\"" + secret.name + "\",\"SecretString\":\"" + value + "\",\"ClientRequestToken\":\""
                        + token + "\"}";
            } else {
                secret = own.get(random.nextInt(own.size()));
                op = "PutSecretValue";
                body = "{\"SecretId\":\"" + secret.name + "\",\"SecretString\":\"" + value + "\",\"ClientRequestToken\":\""
                        + token + "\"}";
            }
            Sent sent = new Sent(token, value);
            secret.versions.add(sent);
            RawClient.Response r;
            inFlight.incrementAndGet();
            try {
                r = client.call(op, body);
            } catch (UncheckedIOException e) {
                if (!killed.get()) unexpected.add(op + " failed before the kill: " + e.getCause());
                cutOff.incrementAndGet();
                return;
            } finally {
                inFlight.decrementAndGet();
            }
            if (r.status() != 200) {
                unexpected.add(op + " " + r);
                return;
            }
            sent.acked = true;
            if (create) secret.createAcked = true;
            acked.incrementAndGet();
        }
    }

    // ---- after the crash -------------------------------------------------------------------

    private static void verifyAfterRestart(Path dataDir, Map<String, SecretLog> secrets) throws Exception {
        TestServer server = TestServer.startOn(dataDir, c -> c, false); // the store opens (and recovers) cleanly
        try {
            RawClient client = RawClient.of(server);
            ExecutorService verifiers = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> checks = new ArrayList<>();
            for (SecretLog secret : secrets.values()) checks.add(verifiers.submit(() -> verify(client, secret)));
            for (Future<?> f : checks) f.get(120, TimeUnit.SECONDS);
            verifiers.shutdown();
            verifyListing(client, secrets);
        } finally {
            server.stop();
        }
    }

    /** Unacknowledged writes found committed after the restart (allowed; counted for the summary). */
    private static final AtomicInteger committedUnacknowledged = new AtomicInteger();

    private static void verify(RawClient client, SecretLog secret) {
        RawClient.Response described = client.call("DescribeSecret", "{\"SecretId\":\"" + secret.name + "\"}");
        if (!described.ok()) {
            assertThat(described.errorType()).as("%s: %s", secret.name, described).isEqualTo("ResourceNotFoundException");
            assertThat(secret.createAcked).as("%s was acknowledged but is gone", secret.name).isFalse();
            assertThat(secret.versions).as("an unacknowledged create is the only write to its secret").hasSize(1);
            return;
        }

        // Every version the test sent: acknowledged ones with their value, unacknowledged ones wholly or not at all.
        for (Sent v : secret.versions) {
            RawClient.Response got = client.call("GetSecretValue", "{\"SecretId\":\"" + secret.name + "\",\"VersionId\":\""
                    + v.versionId + "\"}");
            if (v.acked) {
                assertThat(got.status()).as("acknowledged version %s of %s: %s", v.versionId, secret.name, got).isEqualTo(200);
            } else if (!got.ok()) {
                assertThat(got.errorType()).as("%s", got).isEqualTo("ResourceNotFoundException");
                continue;
            }
            assertThat(got.json().path("SecretString").asText())
                    .as("value of version %s of %s", v.versionId, secret.name).isEqualTo(v.value);
            if (!v.acked) committedUnacknowledged.incrementAndGet();
        }

        // No version the test did not send; exactly one AWSCURRENT, on the last write that committed.
        RawClient.Response listed = client.call("ListSecretVersionIds", "{\"SecretId\":\"" + secret.name
                + "\",\"IncludeDeprecated\":true,\"MaxResults\":100}");
        assertThat(listed.status()).as("%s", listed).isEqualTo(200);
        Set<String> sentIds = new HashSet<>();
        for (Sent v : secret.versions) sentIds.add(v.versionId);
        Set<String> stored = new HashSet<>();
        for (JsonNode v : listed.json().path("Versions")) stored.add(v.path("VersionId").asText());
        assertThat(sentIds).as("versions of %s", secret.name).containsAll(stored);

        Map<String, JsonNode> stages = toMap(described.json().path("VersionIdsToStages"));
        List<String> current = new ArrayList<>();
        List<String> previous = new ArrayList<>();
        stages.forEach((id, labels) -> {
            for (JsonNode label : labels) {
                if (label.asText().equals("AWSCURRENT")) current.add(id);
                if (label.asText().equals("AWSPREVIOUS")) previous.add(id);
            }
        });
        assertThat(current).as("versions of %s labelled AWSCURRENT", secret.name).hasSize(1);
        int at = indexOf(secret, current.get(0));
        int lastAcked = secret.lastAcked();
        assertThat(at).as("AWSCURRENT of %s is the last acknowledged write or the one in flight after it", secret.name)
                .isBetween(lastAcked, lastAcked + 1);
        if (at > 0) {
            assertThat(previous).as("AWSPREVIOUS of %s", secret.name).containsExactly(secret.versions.get(at - 1).versionId);
        } else {
            assertThat(previous).as("AWSPREVIOUS of %s", secret.name).isEmpty();
        }
    }

    private static int indexOf(SecretLog secret, String versionId) {
        for (int i = 0; i < secret.versions.size(); i++) {
            if (secret.versions.get(i).versionId.equals(versionId)) return i;
        }
        throw new AssertionError("version " + versionId + " of " + secret.name + " was never sent");
    }

    private static Map<String, JsonNode> toMap(JsonNode object) {
        Map<String, JsonNode> map = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) map.put(e.getKey(), e.getValue());
        return map;
    }

    private static void verifyListing(RawClient client, Map<String, SecretLog> secrets) {
        Set<String> listed = new HashSet<>();
        String next = null;
        do {
            RawClient.Response page = client.call("ListSecrets", "{\"IncludePlannedDeletion\":true,\"MaxResults\":100"
                    + (next == null ? "" : ",\"NextToken\":\"" + next + "\"") + "}");
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            for (JsonNode e : page.json().path("SecretList")) listed.add(e.path("Name").asText());
            next = page.json().hasNonNull("NextToken") ? page.json().get("NextToken").asText() : null;
        } while (next != null);
        assertThat(secrets.keySet()).as("secrets listed after the crash were all created by the test").containsAll(listed);
        for (SecretLog s : secrets.values()) {
            if (s.createAcked) assertThat(listed).as("acknowledged secrets are listed").contains(s.name);
        }
    }

    private static void assertIntegrity(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) rows.add(rs.getString(1));
                assertThat(rows).as("PRAGMA integrity_check").containsExactly("ok");
            }
            try (ResultSet rs = c.createStatement().executeQuery("PRAGMA foreign_key_check")) {
                assertThat(rs.next()).as("PRAGMA foreign_key_check finds a dangling reference").isFalse();
            }
        }
    }
}
