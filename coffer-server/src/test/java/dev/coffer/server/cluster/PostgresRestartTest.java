package dev.coffer.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.testkit.PostgresDatabase;
import dev.coffer.server.testkit.TestServer;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * PostgreSQL itself restarted under load across two nodes: while it is down the nodes answer 503, and
 * when it is back they serve again without being restarted, with every acknowledged write in place.
 * It restarts the machine's PostgreSQL, which every other user of it notices, so it runs only under CI
 * or when asked (COFFER_TEST_RESTART_POSTGRES=1), as root, with Debian's pg_ctlcluster.
 */
class PostgresRestartTest {
    private PostgresDatabase database;
    private Path dir;
    private final List<TestServer> nodes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        boolean asked = "true".equals(System.getenv("CI")) || "1".equals(System.getenv("COFFER_TEST_RESTART_POSTGRES"));
        Assumptions.assumeTrue(asked, "SKIPPED: restarts the machine's PostgreSQL; runs under CI or with COFFER_TEST_RESTART_POSTGRES=1");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster")) && "root".equals(System.getProperty("user.name")),
                "SKIPPED: needs Debian's pg_ctlcluster, run as root");
        database = PostgresDatabase.create("coffer_restart");
        dir = Files.createTempDirectory("coffer-restart-");
        for (String name : List.of("node-1", "node-2")) {
            nodes.add(TestServer.startOn(Files.createDirectories(dir.resolve(name)),
                    c -> c.withStorage(database.storageUrl(), null, dir.resolve("root.key")), false));
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(TestServer::close);
        if (database != null) database.close();
        if (dir != null) TestServer.deleteRecursively(dir);
    }

    private static void restartPostgres() throws Exception {
        String version;
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            version = versions.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
        Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("pg_ctlcluster restart: %s", output).isZero();
    }

    @Test
    void restartingPostgresUnderLoad_nodesRecoverWithoutRestart_andKeepEveryAcknowledgedWrite() throws Exception {
        List<SecretsManagerClient> clients = nodes.stream().map(TestServer::secretsManager).toList();
        clients.getFirst().createSecret(r -> r.name("prod/restart/db").secretString("fake-initial"));
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService load = Executors.newFixedThreadPool(2);
        List<Future<?>> work = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            work.add(load.submit(() -> {
                for (int seq = 0; !stop.get() && seq < 45; seq++) {
                    String token = String.format("restart-%02d-%06d-0000-0000-000000000000", writer, seq);
                    String value = "fake-" + writer + "-" + seq;
                    while (!stop.get()) {
                        try {
                            clients.get((writer + seq) % 2).putSecretValue(r -> r.secretId("prod/restart/db")
                                    .clientRequestToken(token).secretString(value));
                            acknowledged.put(token, value);
                            break;
                        } catch (SdkException e) {
                            Thread.sleep(200); // the database is restarting: try again, same token
                        }
                    }
                    Thread.sleep(100);
                }
                return null;
            }));
        }
        Thread.sleep(1_500);
        restartPostgres();
        int afterRestart = acknowledged.size();
        // Both nodes serve again, unrestarted, within a bound that tells recovery from a node stuck for good.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (SecretsManagerClient sm : clients) {
            while (true) {
                try {
                    sm.getSecretValue(r -> r.secretId("prod/restart/db"));
                    break;
                } catch (SdkException e) {
                    assertThat(System.nanoTime()).as("node serves again after the restart").isLessThan(deadline);
                    Thread.sleep(200);
                }
            }
        }
        Thread.sleep(2_000);
        stop.set(true);
        for (Future<?> f : work) f.get(60, TimeUnit.SECONDS);
        load.shutdown();
        assertThat(acknowledged.size()).as("writes went on after the restart").isGreaterThan(afterRestart);
        for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
            for (SecretsManagerClient sm : clients) {
                assertThat(sm.getSecretValue(r -> r.secretId("prod/restart/db").versionId(ack.getKey())).secretString())
                        .isEqualTo(ack.getValue());
            }
        }
        clients.forEach(SecretsManagerClient::close);
    }
}
