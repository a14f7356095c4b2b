package dev.coffer.server.store;

import dev.coffer.server.testkit.PostgresDatabase;
import dev.coffer.server.testkit.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Three Coffer nodes on loopback ports sharing one fresh PostgreSQL database, as behind a load
 * balancer: node 0 initializes the database and writes the root key, nodes 1 and 2 are given it.
 * Clients made here do not retry, so a call's outcome is what one node answered — a test of
 * concurrency must see every refusal, not an SDK retry that hides it.
 */
final class PostgresCluster implements AutoCloseable {
    static final int NODES = 3;

    private final PostgresDatabase database;
    private final Path dir;
    private final List<TestServer> nodes = new ArrayList<>();
    private final List<AutoCloseable> clients = java.util.Collections.synchronizedList(new ArrayList<>());

    PostgresCluster() {
        database = PostgresDatabase.create("coffer_cluster");
        try {
            dir = Files.createTempDirectory("coffer-pg-cluster-");
            Path rootKey = dir.resolve("root.key");
            for (int i = 0; i < NODES; i++) {
                Path dataDir = dir.resolve("node-" + i); // the node creates it, owner-only
                nodes.add(TestServer.startOn(dataDir,
                        c -> c.withStorage(database.storageUrl(), null, rootKey), false));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    TestServer node(int i) {
        return nodes.get(Math.floorMod(i, NODES));
    }

    AwsCredentials admin() {
        return nodes.getFirst().adminCredentials();
    }

    SecretsManagerClient secretsManager(int node, AwsCredentials credentials) {
        return closedWithCluster(SecretsManagerClient.builder().endpointOverride(node(node).endpoint()).region(Region.of(TestServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build());
    }

    SecretsManagerClient secretsManager(int node) {
        return secretsManager(node, admin());
    }

    IamClient iam(int node, AwsCredentials credentials) {
        return closedWithCluster(IamClient.builder().endpointOverride(node(node).endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build());
    }

    private <C extends AutoCloseable> C closedWithCluster(C client) {
        clients.add(client);
        return client;
    }

    IamClient iam(int node) {
        return iam(node, admin());
    }

    /**
     * Runs the tasks at the same moment, each on its own thread, released together, and returns
     * their results in order. A task's exception is its result's failure, not the caller's.
     */
    static <T> List<Outcome<T>> together(List<Callable<T>> tasks) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    long start = System.nanoTime();
                    try {
                        T value = task.call();
                        return new Outcome<>(value, null, start, System.nanoTime());
                    } catch (RuntimeException e) {
                        return new Outcome<T>(null, e, start, System.nanoTime());
                    }
                }));
            }
            ready.await();
            go.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<Outcome<T>> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }

    /** What one concurrent call returned or threw, and when it ran (System.nanoTime). */
    record Outcome<T>(T value, RuntimeException failure, long startedAt, long endedAt) {
        boolean succeeded() {
            return failure == null;
        }
    }

    @Override
    public void close() {
        for (AutoCloseable client : List.copyOf(clients)) {
            try {
                client.close();
            } catch (Exception e) {
                // a client that cannot close holds nothing the servers need
            }
        }
        for (TestServer node : nodes) {
            try {
                node.stop();
            } catch (RuntimeException e) {
                // keep closing the others
            }
        }
        database.close();
        if (dir != null) TestServer.deleteRecursively(dir);
    }
}
