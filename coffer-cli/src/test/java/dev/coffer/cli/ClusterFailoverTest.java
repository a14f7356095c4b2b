package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.testkit.PostgresDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Three {@code coffer server} processes on one PostgreSQL database under a steady read/write load; the
 * node running the singleton jobs is killed with SIGKILL. Clients that retry a failed call on another node
 * (with the same ClientRequestToken, as SDKs do) lose no acknowledged write, and another node takes the
 * singleton work within 10 seconds.
 */
class ClusterFailoverTest {
    private static final Pattern READY = Pattern.compile("Coffer ready at (http\\S+) ");
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final int WRITERS = 6;
    /** Puts per writer: below the 100 versions after which AWS (and Coffer) drop deprecated versions. */
    private static final int PUTS_PER_WRITER = 95;

    @TempDir
    Path scratch;
    private PostgresDatabase database;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void freshDatabase() {
        database = PostgresDatabase.create("coffer_failover");
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        if (database != null) database.close();
    }

    private record Node(String name, Process process, URI endpoint) {}

    private Node start(String name) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CofferCommand.class.getName(), "server", "--data-dir", scratch.resolve(name).toString(),
                "--listen", "127.0.0.1:0", "--storage", database.storageUrl(),
                "--root-key-file", scratch.resolve("root.key").toString()));
        Process p = new ProcessBuilder(command).redirectOutput(scratch.resolve(name + ".out").toFile())
                .redirectError(scratch.resolve(name + ".err").toFile()).start();
        processes.add(p);
        Path out = scratch.resolve(name + ".out");
        for (int i = 0; i < 600 && p.isAlive(); i++) {
            Matcher m = READY.matcher(Files.exists(out) ? Files.readString(out) : "");
            if (m.find()) return new Node(name, p, URI.create(m.group(1)));
            Thread.sleep(50);
        }
        throw new AssertionError(name + " did not start: " + Files.readString(scratch.resolve(name + ".err")));
    }

    private static boolean runsSingletons(Node node) {
        try {
            return http.send(HttpRequest.newBuilder(node.endpoint().resolve("/health/ready")).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.ofString()).body().contains("\"singletonJobs\":\"running here\"");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private SecretsManagerClient client(Node node) {
        ProfileFile credentials = ProfileFile.builder().content(scratch.resolve("node-1").resolve("admin.credentials"))
                .type(ProfileFile.Type.CREDENTIALS).build();
        // No SDK retries: the test's clients fail over to another node themselves, as a load balancer would.
        return SecretsManagerClient.builder().endpointOverride(node.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(ProfileCredentialsProvider.builder().profileFile(credentials).profileName("coffer-admin")
                        .build())
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(15)).build())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @Test
    void sigkillOfANodeUnderLoad_losesNoAcknowledgedWrite_andItsSingletonWorkMovesWithin10Seconds() throws Exception {
        List<Node> nodes = List.of(start("node-1"), start("node-2"), start("node-3"));
        List<SecretsManagerClient> clients = nodes.stream().map(this::client).toList();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            clients.get(w % 3).createSecret(r -> r.name("prod/failover/" + writer).secretString("fake-initial-" + writer));
        }
        Node victim = null;
        for (int i = 0; i < 100 && victim == null; i++) {
            for (Node n : nodes) if (runsSingletons(n)) victim = n;
            if (victim == null) Thread.sleep(100);
        }
        assertThat(victim).as("one node runs the singleton jobs").isNotNull();
        Node dead = victim;

        // Writers put versions with their own tokens, each through the next node; a failed call is retried with the
        // same token on the following node until some node acknowledges it. Readers read throughout.
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // version id (token) -> value
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failovers = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(WRITERS + 2);
        List<Future<?>> work = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            work.add(load.submit(() -> {
                int attempt = writer;
                for (int seq = 0; !stop.get() && seq < PUTS_PER_WRITER; seq++) {
                    Thread.sleep(40); // a steady load that lasts beyond the kill
                    String token = String.format("failover-%02d-%06d-0000-0000-000000000000", writer, seq);
                    String value = "fake-value-" + writer + "-" + seq;
                    while (true) {
                        try {
                            clients.get(attempt++ % 3).putSecretValue(r -> r.secretId("prod/failover/" + writer)
                                    .clientRequestToken(token).secretString(value));
                            acknowledged.put(token, value);
                            break;
                        } catch (SdkException e) {
                            failovers.incrementAndGet(); // this node is down or the call was cut: try the next one
                        }
                    }
                }
                return null;
            }));
        }
        for (int r = 0; r < 2; r++) {
            int reader = r;
            work.add(load.submit(() -> {
                for (int i = reader; !stop.get(); i++) {
                    try {
                        clients.get(i % 3).getSecretValue(q -> q.secretId("prod/failover/0"));
                    } catch (SdkException e) {
                        failovers.incrementAndGet();
                    }
                }
                return null;
            }));
        }

        Thread.sleep(3_000);
        int beforeKill = acknowledged.size();
        dead.process().destroyForcibly(); // SIGKILL: no shutdown hook, no lease handed over
        long killedAt = System.nanoTime();
        List<Node> survivors = nodes.stream().filter(n -> n != dead).toList();
        Duration takeover = null;
        while (takeover == null && System.nanoTime() - killedAt < Duration.ofSeconds(20).toNanos()) {
            if (survivors.stream().anyMatch(ClusterFailoverTest::runsSingletons)) {
                takeover = Duration.ofNanos(System.nanoTime() - killedAt);
            } else {
                Thread.sleep(100);
            }
        }
        Thread.sleep(3_000); // the load goes on over the two survivors
        stop.set(true);
        for (Future<?> f : work) f.get(60, TimeUnit.SECONDS);
        load.shutdown();

        assertThat(takeover).as("another node runs the singleton jobs").isNotNull();
        assertThat(takeover).as("within 10 seconds of the kill").isLessThan(Duration.ofSeconds(10));
        assertThat(acknowledged.size()).as("writes went on after the kill").isGreaterThan(beforeKill);
        // Every acknowledged version is there, with its value, through each survivor.
        for (Node survivor : survivors) {
            SecretsManagerClient sm = clients.get(nodes.indexOf(survivor));
            for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
                String writer = String.valueOf(Integer.parseInt(ack.getKey().substring(9, 11)));
                assertThat(sm.getSecretValue(r -> r.secretId("prod/failover/" + writer).versionId(ack.getKey()))
                        .secretString()).as("acknowledged version %s", ack.getKey()).isEqualTo(ack.getValue());
            }
        }
        clients.forEach(SecretsManagerClient::close);
        // The figures for the record (no values): how long the singleton work was without a node, and the load.
        System.out.printf("failover: singleton jobs taken over %d ms after SIGKILL; %d writes acknowledged (%d before the kill), "
                + "%d calls failed over to another node%n", takeover.toMillis(), acknowledged.size(), beforeKill, failovers.get());
    }
}
