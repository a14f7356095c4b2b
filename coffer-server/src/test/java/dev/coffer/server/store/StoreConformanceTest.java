package dev.coffer.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} engine promises, written once against the interface. Each engine
 * has a subclass that says how to open a fresh, empty store of its kind.
 */
abstract class StoreConformanceTest {
    protected Store store;

    /** A fresh, empty, migrated store. */
    protected abstract Store openStore() throws Exception;

    /** The same store reopened after {@link Store#close()}, as after a restart. */
    protected abstract Store reopenStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static SecretRow secret(String id, String name) {
        return new SecretRow(id, "111122223333", "us-east-1", name, "arn:aws:secretsmanager:us-east-1:111122223333:secret:"
                + name + "-AbCdEf", null, null, 1_000L, 1_000L, null, null, null, false, null, null, null, null, false,
                null, null, null);
    }

    private static VersionRow version(String secretId, String versionId, long createdAt) {
        return new VersionRow(secretId, versionId, createdAt, null, VersionRow.STRING, new byte[] {1, 2, 3}, 1);
    }

    @Test
    void aCommittedWrite_isVisibleToLaterReads() {
        store.write(tx -> {
            tx.secrets().insert(secret("s1", "prod/db/orders"));
            return null;
        });
        Optional<SecretRow> read = store.read(tx -> tx.secrets().findByName("111122223333", "us-east-1", "prod/db/orders"));
        assertThat(read).map(SecretRow::secretId).contains("s1");
    }

    @Test
    void aFailingUnitOfWork_leavesNothingBehind() {
        assertThatThrownBy(() -> store.write(tx -> {
            tx.secrets().insert(secret("s1", "prod/db/orders"));
            throw new IllegalStateException("domain rule refused it");
        })).isInstanceOf(IllegalStateException.class).hasMessage("domain rule refused it");
        assertThat(store.<Optional<SecretRow>>read(tx -> tx.secrets().findById("s1"))).isEmpty();
    }

    @Test
    void aConstraintViolation_failsOnlyItsOwnUnit_evenWhenCommittedTogetherWithOthers() throws Exception {
        store.write(tx -> {
            tx.secrets().insert(secret("s0", "prod/taken"));
            return null;
        });
        // Many concurrent writers, so an engine that batches commits puts these in one batch.
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            results.add(pool.submit(() -> store.write(tx -> {
                tx.secrets().insert(secret("s" + (n + 1), n % 5 == 0 ? "prod/taken" : "prod/free-" + n));
                return "ok";
            })));
        }
        int ok = 0;
        int refused = 0;
        for (Future<String> f : results) {
            try {
                f.get();
                ok++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(StoreException.class);
                refused++;
            }
        }
        pool.shutdown();
        assertThat(ok).isEqualTo(40);
        assertThat(refused).isEqualTo(10);
        assertThat(store.<List<SecretRow>>read(tx -> tx.secrets().listInRegion("111122223333", "us-east-1"))).hasSize(41);
    }

    @Test
    void theChangeCounter_movesWithEveryCommittedWrite_andNotWithReadsOrFailures() {
        long before = store.changeCounter();
        store.read(tx -> tx.secrets().findById("nothing"));
        assertThat(store.changeCounter()).isEqualTo(before);
        assertThatThrownBy(() -> store.write(tx -> {
            throw new IllegalArgumentException("no");
        }));
        assertThat(store.changeCounter()).isEqualTo(before);
        store.write(tx -> {
            tx.secrets().insert(secret("s1", "prod/a"));
            return null;
        });
        assertThat(store.changeCounter()).isGreaterThan(before);
    }

    @Test
    void aDomainsChangeCounter_movesOnlyForCommitsThatWroteToIt() {
        long secrets = store.changeCounter(ChangeDomain.SECRETS);
        long identities = store.changeCounter(ChangeDomain.IDENTITIES);
        store.write(tx -> {
            tx.secrets().insert(secret("s1", "prod/a"));
            return null;
        });
        assertThat(store.changeCounter(ChangeDomain.SECRETS)).isGreaterThan(secrets);
        assertThat(store.changeCounter(ChangeDomain.IDENTITIES)).isEqualTo(identities);

        long afterWrite = store.changeCounter(ChangeDomain.SECRETS);
        assertThatThrownBy(() -> store.write(tx -> {
            tx.secrets().insert(secret("s2", "prod/b"));
            throw new IllegalStateException("refused after writing");
        }));
        assertThat(store.changeCounter(ChangeDomain.SECRETS)).as("a rolled-back unit changed nothing").isEqualTo(afterWrite);
    }

    @Test
    void aStageIsOnAtMostOneVersion() {
        store.write(tx -> {
            tx.secrets().insert(secret("s1", "prod/a"));
            tx.secrets().insertVersion(version("s1", "v1", 1));
            tx.secrets().insertVersion(version("s1", "v2", 2));
            tx.secrets().setStage("s1", "AWSCURRENT", "v1");
            tx.secrets().setStage("s1", "AWSCURRENT", "v2");
            return null;
        });
        assertThat(store.<java.util.Map<String, List<String>>>read(tx -> tx.secrets().stages("s1"))).containsOnlyKeys("v2");
        assertThat(store.<Optional<VersionRow>>read(tx -> tx.secrets().findVersionByStage("s1", "AWSCURRENT"))).map(VersionRow::versionId).contains("v2");
    }

    @Test
    void deletingASecret_removesItsVersionsLabelsAndTags() {
        store.write(tx -> {
            tx.secrets().insert(secret("s1", "prod/a"));
            tx.secrets().insertVersion(version("s1", "v1", 1));
            tx.secrets().setStage("s1", "AWSCURRENT", "v1");
            tx.secrets().replaceTags("s1", List.of(new TagRow("team", "payments")));
            tx.secrets().delete("s1");
            return null;
        });
        assertThat(store.<List<VersionRow>>read(tx -> tx.secrets().versions("s1"))).isEmpty();
        assertThat(store.<java.util.Map<String, List<String>>>read(tx -> tx.secrets().stages("s1"))).isEmpty();
        assertThat(store.<List<TagRow>>read(tx -> tx.secrets().tags("s1"))).isEmpty();
    }

    @Test
    void unlabelledOldVersions_areFoundOldestFirst_andLabelledOrYoungOnesNever() {
        store.write(tx -> {
            tx.secrets().insert(secret("s1", "prod/a"));
            for (int i = 1; i <= 5; i++) tx.secrets().insertVersion(version("s1", "v" + i, i * 100L));
            tx.secrets().setStage("s1", "AWSPREVIOUS", "v2");
            return null;
        });
        assertThat(store.<Integer>read(tx -> tx.secrets().countVersions("s1"))).isEqualTo(5);
        assertThat(store.<List<String>>read(tx -> tx.secrets().unlabelledVersionsCreatedBefore("s1", 450, 10)))
                .containsExactly("v1", "v3", "v4");
        assertThat(store.<List<String>>read(tx -> tx.secrets().unlabelledVersionsCreatedBefore("s1", 450, 2))).containsExactly("v1", "v3");
    }

    @Test
    void acknowledgedWrites_surviveClosingAndReopening() throws Exception {
        store.write(tx -> {
            tx.secrets().insert(secret("s1", "prod/a"));
            tx.secrets().insertVersion(version("s1", "v1", 1));
            tx.meta().putIfAbsent("account_id", "111122223333");
            return null;
        });
        store.close();
        store = reopenStore();
        assertThat(store.<Optional<VersionRow>>read(tx -> tx.secrets().findVersion("s1", "v1"))).map(VersionRow::sealedValue)
                .hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(1, 2, 3));
        assertThat(store.<Optional<String>>read(tx -> tx.meta().get("account_id"))).contains("111122223333");
    }

    @Test
    void aClosedStore_refusesWork() {
        store.close();
        assertThatThrownBy(() -> store.read(tx -> null)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.write(tx -> null)).isInstanceOf(StoreException.class);
    }
}
