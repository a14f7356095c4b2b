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

    // ---- identities ---------------------------------------------------------------------------

    private static IdentityRepository.UserRow user(String account, String id, String name) {
        return new IdentityRepository.UserRow(account, id, name, "/", "arn:aws:iam::" + account + ":user/" + name, 1_000L,
                null, "[]", new byte[] {9});
    }

    @Test
    void iamNames_areUniquePerAccount_caseInsensitively() {
        store.write(tx -> {
            tx.identities().insertUser(user("111122223333", "AIDA1", "Alice"));
            return null;
        });
        assertThatThrownBy(() -> store.write(tx -> {
            tx.identities().insertUser(user("111122223333", "AIDA2", "alice"));
            return null;
        })).isInstanceOf(RuntimeException.class);
        store.write(tx -> {
            tx.identities().insertUser(user("444455556666", "AIDA3", "alice"));
            return null;
        });
        Optional<IdentityRepository.UserRow> found = store.read(tx -> tx.identities().findUser("111122223333", "ALICE"));
        assertThat(found)
                .hasValueSatisfying(u -> {
                    assertThat(u.userName()).isEqualTo("Alice");
                    assertThat(u.mac()).containsExactly(9);
                });
        List<IdentityRepository.UserRow> all = store.read(tx -> tx.identities().allUsers());
        assertThat(all).hasSize(2);
    }

    @Test
    void identityWrites_moveTheIdentitiesCounter_butRecordingKeyUseDoesNot() {
        long before = store.changeCounter(ChangeDomain.IDENTITIES);
        store.write(tx -> {
            tx.identities().insertUser(user("111122223333", "AIDA1", "bob"));
            tx.accessKeys().insert(new AccessKeyRepository.AccessKeyRow("AKIA1", "111122223333",
                    "arn:aws:iam::111122223333:user/bob", "bob", new byte[] {1}, "Active", 1L, null, "AIDA1", null, null,
                    new byte[] {2}));
            return null;
        });
        long afterCreate = store.changeCounter(ChangeDomain.IDENTITIES);
        assertThat(afterCreate).isNotEqualTo(before);
        store.write(tx -> {
            tx.accessKeys().recordLastUsed("AKIA1", 5_000L, "us-east-1", "iam");
            return null;
        });
        assertThat(store.changeCounter(ChangeDomain.IDENTITIES)).isEqualTo(afterCreate);
        Optional<AccessKeyRepository.AccessKeyRow> key = store.read(tx -> tx.accessKeys().find("AKIA1"));
        assertThat(key).hasValueSatisfying(k -> {
            assertThat(k.lastUsedAt()).isEqualTo(5_000L);
            assertThat(k.lastUsedRegion()).isEqualTo("us-east-1");
            assertThat(k.lastUsedService()).isEqualTo("iam");
            assertThat(k.userId()).isEqualTo("AIDA1");
        });
        List<AccessKeyRepository.AccessKeyRow> keys = store.read(tx -> tx.accessKeys().forUser("111122223333", "AIDA1"));
        assertThat(keys).hasSize(1);
    }

    @Test
    void inlinePolicies_attachments_managedPolicyVersions_andOidcProviders_roundTrip() {
        String acct = "111122223333";
        store.write(tx -> {
            IdentityRepository ids = tx.identities();
            ids.putInlinePolicy(new IdentityRepository.InlinePolicyRow(acct, "user", "AIDA1", "P", "{\"a\":1}", new byte[] {1}));
            ids.putInlinePolicy(new IdentityRepository.InlinePolicyRow(acct, "user", "AIDA1", "P", "{\"a\":2}", new byte[] {2}));
            assertThat(ids.attach(new IdentityRepository.AttachmentRow(acct, "role", "AROA1", "arn:aws:iam::aws:policy/X", 1L,
                    new byte[] {3}))).isTrue();
            assertThat(ids.attach(new IdentityRepository.AttachmentRow(acct, "role", "AROA1", "arn:aws:iam::aws:policy/X", 1L,
                    new byte[] {3}))).isFalse();
            ids.insertPolicy(new IdentityRepository.PolicyRow(acct, "ANPA1", "Mine", "/", "arn:aws:iam::" + acct + ":policy/Mine",
                    null, "v1", 3, 1L, 1L, "[]", new byte[] {4}));
            ids.insertPolicyVersion(new IdentityRepository.PolicyVersionRow(acct, "ANPA1", "v1", "{}", 1L, new byte[] {5}));
            ids.insertPolicyVersion(new IdentityRepository.PolicyVersionRow(acct, "ANPA1", "v2", "{}", 2L, new byte[] {6}));
            ids.insertOidcProvider(new IdentityRepository.OidcProviderRow(acct, "arn:aws:iam::" + acct + ":oidc-provider/x.example",
                    "https://x.example", "[\"a\"]", "[]", "[]", 1L, new byte[] {7}));
            return null;
        });
        store.read(tx -> {
            IdentityRepository ids = tx.identities();
            assertThat(ids.inlinePolicies(acct, "user", "AIDA1")).singleElement()
                    .satisfies(p -> assertThat(p.document()).isEqualTo("{\"a\":2}"));
            assertThat(ids.attachmentsOf(acct, "arn:aws:iam::aws:policy/X")).hasSize(1);
            assertThat(ids.policyVersions(acct, "ANPA1")).extracting(IdentityRepository.PolicyVersionRow::versionId)
                    .containsExactly("v2", "v1");
            assertThat(ids.findPolicyByName(acct, "MINE")).isPresent();
            assertThat(ids.oidcProviders(acct)).singleElement().satisfies(p -> assertThat(p.clientIds()).isEqualTo("[\"a\"]"));
            return null;
        });
        store.write(tx -> {
            tx.identities().deletePolicy(acct, "ANPA1");
            assertThat(tx.identities().detach(acct, "role", "AROA1", "arn:aws:iam::aws:policy/X")).isTrue();
            return null;
        });
        List<IdentityRepository.PolicyVersionRow> left = store.read(tx -> tx.identities().policyVersions(acct, "ANPA1"));
        assertThat(left).isEmpty();
    }
}
