package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A writer that keeps calling PutSecretValue on one secret while a backup is taken, bounded in count and time. Each call
 * carries its own ClientRequestToken, so every version a restore may hold is known in advance, with its value.
 */
final class PutSecretValueLoad implements AutoCloseable {
    static final String SECRET = "load/counter";
    private static final int MAX_PUTS = 90; // AWS keeps every version younger than a day, so none is cleaned up meanwhile

    private final SecretsManagerClient sm;
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    /** Attempted puts in order: token and value. */
    private final List<String[]> attempted = new CopyOnWriteArrayList<>();
    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    private final Thread writer;
    private volatile boolean stop;
    private volatile RuntimeException failure;

    private PutSecretValueLoad(TestServer server) {
        sm = server.secretsManager();
        sm.createSecret(r -> r.name(SECRET).secretString(value(0)).clientRequestToken(token(0)));
        attempted.add(new String[] {token(0), value(0)});
        acknowledged.add(token(0));
        writer = Thread.ofPlatform().name("put-load").start(this::run);
    }

    static PutSecretValueLoad start(TestServer server) {
        return new PutSecretValueLoad(server);
    }

    private String token(int n) {
        return tag + "-0000-4000-8000-" + String.format("%012d", n);
    }

    private String value(int n) {
        return "load-value-" + tag + "-" + n;
    }

    private void run() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            for (int n = 1; n < MAX_PUTS && !stop && System.nanoTime() < deadline; n++) {
                String token = token(n);
                String value = value(n);
                attempted.add(new String[] {token, value});
                sm.putSecretValue(r -> r.secretId(SECRET).secretString(value).clientRequestToken(token));
                acknowledged.add(token);
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    void awaitAcknowledged(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.size() < count && writer.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
    }

    List<String> acknowledgedSoFar() {
        return List.copyOf(acknowledged);
    }

    List<byte[]> values() {
        List<byte[]> values = new ArrayList<>();
        for (String[] a : attempted) values.add(a[1].getBytes(StandardCharsets.UTF_8));
        return values;
    }

    /**
     * The restored secret holds one consistent state of the writer's history: every version acknowledged before the
     * backup began, only versions that were attempted, each with its own value, and its labels on the newest two.
     */
    void assertConsistentOn(TestServer server, List<String> acknowledgedBeforeBackup) {
        if (failure != null) throw failure;
        SecretsManagerClient restored = server.secretsManager();
        Map<String, Set<String>> stages = StoreFixture.stagesOf(restored, SECRET);
        assertThat(stages.keySet()).containsAll(acknowledgedBeforeBackup);
        List<String> order = attempted.stream().map(a -> a[0]).toList();
        assertThat(order).containsAll(stages.keySet());
        List<String> held = order.stream().filter(stages::containsKey).toList();
        // Versions form a prefix of the writer's history: no gap (a later write present, an earlier one lost).
        assertThat(held).isEqualTo(order.subList(0, held.size()));
        assertThat(stages.get(held.getLast())).containsExactly("AWSCURRENT");
        if (held.size() > 1) assertThat(stages.get(held.get(held.size() - 2))).containsExactly("AWSPREVIOUS");
        for (String token : held) {
            String value = attempted.stream().filter(a -> a[0].equals(token)).findFirst().orElseThrow()[1];
            assertThat(restored.getSecretValue(r -> r.secretId(SECRET).versionId(token)).secretString()).isEqualTo(value);
        }
    }

    @Override
    public void close() {
        stop = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
