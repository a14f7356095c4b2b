package dev.coffer.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.testkit.MutableClock;
import dev.coffer.server.testkit.PostgresDatabase;
import dev.coffer.server.testkit.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Singleton work on several nodes of one PostgreSQL database: exactly one node holds the lease and runs
 * it, and when that node stops another takes the work over and runs what is due (here, purging a secret
 * past its recovery window). The abrupt death of a node is covered by the CLI's ClusterFailoverTest,
 * which SIGKILLs a node process.
 */
class SingletonJobsTest {
    private static final HttpClient http = HttpClient.newHttpClient();
    private PostgresDatabase database;
    private Path dir;
    private final List<TestServer> nodes = new ArrayList<>();

    @BeforeEach
    void freshDatabase() throws Exception {
        database = PostgresDatabase.create("coffer_singletons");
        dir = Files.createTempDirectory("coffer-singletons-");
    }

    @AfterEach
    void stop() {
        nodes.forEach(TestServer::close);
        if (database != null) database.close();
        TestServer.deleteRecursively(dir);
    }

    private TestServer node(String name, MutableClock clock) throws Exception {
        TestServer node = TestServer.startOn(Files.createDirectories(dir.resolve(name)),
                c -> c.withStorage(database.storageUrl(), null, dir.resolve("root.key")).withPurgeInterval(Duration.ofSeconds(1)),
                false, clock);
        nodes.add(node);
        return node;
    }

    private static boolean runsSingletons(TestServer node) throws Exception {
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(node.endpoint().resolve("/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        return ready.body().contains("\"singletonJobs\":\"running here\"");
    }

    /** Waits (bounded) until exactly one of the nodes runs the singleton jobs, and returns it. */
    private static TestServer holderAmong(List<TestServer> candidates, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<TestServer> holders = new ArrayList<>();
            for (TestServer n : candidates) if (runsSingletons(n)) holders.add(n);
            assertThat(holders).as("never two holders at once").hasSizeLessThanOrEqualTo(1);
            if (holders.size() == 1) return holders.getFirst();
            if (System.nanoTime() > deadline) throw new AssertionError("no node took the singleton jobs within " + within);
            Thread.sleep(100);
        }
    }

    @Test
    void oneNodeRunsTheSingletonJobs_andAnotherTakesThemOverWhenItStops() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        TestServer first = node("node-1", clock);
        TestServer second = node("node-2", clock);
        TestServer holder = holderAmong(List.of(first, second), Duration.ofSeconds(10));
        TestServer other = holder == first ? second : first;
        // Steady: the holder keeps the lease across several renewals, and the other never runs the jobs.
        for (int i = 0; i < 10; i++) {
            assertThat(runsSingletons(holder)).isTrue();
            assertThat(runsSingletons(other)).isFalse();
            Thread.sleep(300);
        }

        var sm = other.secretsManager();
        sm.createSecret(r -> r.name("prod/legacy/ftp").secretString("fake-ftp-password"));
        sm.deleteSecret(r -> r.secretId("prod/legacy/ftp").recoveryWindowInDays(7L));

        holder.close(); // a clean stop hands the lease over at once
        nodes.remove(holder);
        clock.advance(Duration.ofDays(8)); // the recovery window has passed
        assertThat(holderAmong(List.of(other), Duration.ofSeconds(10))).isSameAs(other);

        // Past the window the API can no longer be called with real signatures (the nodes' clock is 8 days
        // ahead), so the database itself says whether the secret is gone.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && secretsNamed("prod/legacy/ftp") > 0) Thread.sleep(100);
        assertThat(secretsNamed("prod/legacy/ftp")).as("the new holder purged the secret past its recovery window").isZero();
    }

    private long secretsNamed(String name) throws java.sql.SQLException {
        try (var c = database.connect(); var ps = c.prepareStatement("SELECT count(*) FROM secrets WHERE name = ?")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
