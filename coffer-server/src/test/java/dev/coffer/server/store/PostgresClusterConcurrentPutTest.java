package dev.coffer.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.store.PostgresCluster.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;

/**
 * Sixteen clients put values into one secret at once, spread over three nodes on one database, some
 * repeating ClientRequestTokens (their own, and tokens other clients use on other nodes) and some
 * moving custom labels. What AWS's semantics promise under concurrency, and nothing more, is
 * asserted: every acknowledged version exists with its value; a token makes one version however
 * many calls carry it; each label sits on exactly one version, one that a call asked to give it to
 * and that no later call (started after it was acknowledged) took it from; AWSPREVIOUS is on the
 * version AWSCURRENT displaced. The calls stay well under the 100-version limit, so AWS's cleanup of
 * deprecated versions plays no part.
 */
class PostgresClusterConcurrentPutTest {
    private static final int CLIENTS = 16;
    private static final int CALLS_PER_CLIENT = 5;
    private static final String SECRET = "prod/hammered";
    private static final String CURRENT = "AWSCURRENT";
    private static final String PREVIOUS = "AWSPREVIOUS";

    private static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new PostgresCluster();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    /** One PutSecretValue a client makes; {@code stages} null means the default, AWSCURRENT. */
    record Put(String token, String value, List<String> stages) {
        boolean movesCurrent() {
            return stages == null || stages.contains(CURRENT);
        }

        boolean gives(String label) {
            return CURRENT.equals(label) ? movesCurrent() : stages != null && stages.contains(label);
        }
    }

    /** A client's calls, in its order: fresh tokens, a token shared with three other clients, custom labels, a repeat. */
    private static List<Put> callsOf(int client) {
        List<Put> calls = new ArrayList<>();
        for (int call = 0; call < CALLS_PER_CLIENT; call++) {
            String token = UUID.randomUUID().toString();
            List<String> stages = null;
            if (call == 1 && client % 4 == 1) stages = List.of(CURRENT, "green");
            if (call == 2) token = "00000000-0000-4000-8000-00000000000" + client % 4; // same token, value and stages
            if (call == 3 && client % 2 == 0) stages = List.of(client % 4 == 0 ? "blue" : "green");
            if (call == 4) {
                calls.add(calls.get(1)); // the client's own retry of an acknowledged call
                continue;
            }
            calls.add(new Put(token, "fake-value-" + token, stages));
        }
        return calls;
    }

    /** What one call of one client got, with when it ran. */
    record Done(Put put, Outcome<PutSecretValueResponse> outcome) {}

    @Test
    void everyAcknowledgedVersionSurvives_andEachLabelEndsWhereASerialOrderPutsIt() throws Exception {
        SecretsManagerClient[] admin = new SecretsManagerClient[PostgresCluster.NODES];
        for (int i = 0; i < PostgresCluster.NODES; i++) admin[i] = cluster.secretsManager(i);
        String initial = admin[0].createSecret(r -> r.name(SECRET).secretString("fake-initial")).versionId();
        long setUpEnded = System.nanoTime();
        for (SecretsManagerClient sm : admin) assertThat(sm.getSecretValue(r -> r.secretId(SECRET)).secretString())
                .isEqualTo("fake-initial"); // every node's cache holds the initial version

        List<Callable<List<Done>>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(() -> {
                List<Done> done = new ArrayList<>();
                try (SecretsManagerClient sm = cluster.secretsManager(client)) { // client i talks to node i mod 3
                    for (Put put : callsOf(client)) {
                        long start = System.nanoTime();
                        try {
                            PutSecretValueResponse r = sm.putSecretValue(b -> b.secretId(SECRET).clientRequestToken(put.token())
                                    .secretString(put.value()).versionStages(put.stages()));
                            done.add(new Done(put, new Outcome<>(r, null, start, System.nanoTime())));
                        } catch (RuntimeException e) {
                            done.add(new Done(put, new Outcome<>(null, e, start, System.nanoTime())));
                        }
                    }
                }
                return done;
            });
        }
        List<Done> calls = new ArrayList<>();
        for (Outcome<List<Done>> client : PostgresCluster.together(clients)) {
            assertThat(client.failure()).isNull();
            calls.addAll(client.value());
        }

        // Every call is acknowledged (a race is the server's to resolve, not the caller's), its token its version.
        List<String> refused = calls.stream().filter(d -> !d.outcome().succeeded())
                .map(d -> d.put().token() + ": " + (d.outcome().failure() instanceof AwsServiceException e
                        ? e.statusCode() + " " + e.awsErrorDetails().errorCode() : d.outcome().failure().toString()))
                .toList();
        assertThat(refused).as("refused PutSecretValue calls").isEmpty();
        for (Done d : calls) assertThat(d.outcome().value().versionId()).isEqualTo(d.put().token());

        // When each token's version can have been made: between its first call's start and its last call's end.
        Map<String, long[]> window = new HashMap<>();
        Map<String, Put> byToken = new HashMap<>();
        for (Done d : calls) {
            byToken.put(d.put().token(), d.put());
            window.merge(d.put().token(), new long[] {d.outcome().startedAt(), d.outcome().endedAt()},
                    (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        window.put(initial, new long[] {Long.MIN_VALUE, setUpEnded});
        byToken.put(initial, new Put(initial, "fake-initial", null));

        // One version per token (repeats and the shared tokens made none), each with its value, on every node.
        SecretsManagerClient reader = admin[1];
        Set<String> versions = reader.listSecretVersionIds(r -> r.secretId(SECRET).includeDeprecated(true).maxResults(100))
                .versions().stream().map(SecretVersionsListEntry::versionId).collect(Collectors.toSet());
        assertThat(versions).isEqualTo(byToken.keySet());
        assertThat(versions).hasSizeLessThan(100);
        for (Put put : byToken.values()) {
            String value = admin[Math.floorMod(put.token().hashCode(), PostgresCluster.NODES)]
                    .getSecretValue(r -> r.secretId(SECRET).versionId(put.token())).secretString();
            assertThat(value).as("the value of version %s", put.token()).isEqualTo(put.value());
        }

        // Every node reports the same labels, at once.
        Map<String, Set<String>> stages = stages(admin[0]);
        for (SecretsManagerClient sm : admin) assertThat(stages(sm)).isEqualTo(stages);
        Map<String, List<String>> holders = new TreeMap<>();
        stages.forEach((version, labels) -> labels.forEach(l -> holders.computeIfAbsent(l, k -> new ArrayList<>()).add(version)));
        assertThat(holders.keySet()).containsExactlyInAnyOrder(CURRENT, PREVIOUS, "blue", "green");
        holders.forEach((label, on) -> assertThat(on).as("versions labelled %s", label).hasSize(1));

        String current = holders.get(CURRENT).getFirst();
        String previous = holders.get(PREVIOUS).getFirst();
        for (String label : List.of(CURRENT, "blue", "green")) {
            String holder = holders.get(label).getFirst();
            assertThat(byToken.get(holder).gives(label)).as("%s is on %s, which was put with it", label, holder).isTrue();
            for (Put other : byToken.values()) {
                if (other.gives(label) && !other.token().equals(holder)) {
                    assertThat(window.get(other.token())[0]).as("%s stayed on %s although %s was put with it afterwards",
                            label, holder, other.token()).isLessThan(window.get(holder)[1]);
                }
            }
        }
        // AWSPREVIOUS is on the version that held AWSCURRENT just before the current one: one made with
        // AWSCURRENT before it, with no other such version certainly made between the two.
        assertThat(previous).isNotEqualTo(current);
        assertThat(byToken.get(previous).movesCurrent()).as("AWSPREVIOUS on %s, which never held AWSCURRENT", previous).isTrue();
        assertThat(window.get(previous)[0]).as("AWSPREVIOUS was made after AWSCURRENT").isLessThan(window.get(current)[1]);
        for (Put other : byToken.values()) {
            if (!other.movesCurrent() || other.token().equals(previous) || other.token().equals(current)) continue;
            long[] w = window.get(other.token());
            assertThat(w[0] > window.get(previous)[1] && w[1] < window.get(current)[0])
                    .as("%s took AWSCURRENT between AWSPREVIOUS (%s) and AWSCURRENT (%s)", other.token(), previous, current)
                    .isFalse();
        }

        // One more put, through another node: it displaces exactly the version every node called current.
        String last = admin[2].putSecretValue(r -> r.secretId(SECRET).secretString("fake-last")).versionId();
        Map<String, Set<String>> after = stages(admin[0]);
        assertThat(after.get(last)).containsExactly(CURRENT);
        assertThat(after.get(current)).containsExactly(PREVIOUS);
        assertThat(admin[1].getSecretValue(r -> r.secretId(SECRET)).secretString()).isEqualTo("fake-last");
    }

    /** Version id → labels, as DescribeSecret reports them (versions without labels are absent). */
    private static Map<String, Set<String>> stages(SecretsManagerClient sm) {
        Map<String, Set<String>> stages = new TreeMap<>();
        sm.describeSecret(r -> r.secretId(SECRET)).versionIdsToStages()
                .forEach((version, labels) -> stages.put(version, new HashSet<>(labels)));
        return stages;
    }
}
