package dev.coffer.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.server.testkit.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SortOrderType;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/** The whole life of a secret, driven by the AWS SDK for Java v2 against a real server. */
class SecretLifecycleTest {
    private static TestServer server;
    private static SecretsManagerClient sm;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        sm = server.secretsManager();
    }

    @AfterAll
    static void stop() {
        sm.close();
        server.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createThenGet_returnsTheValueAsAwsCurrent() {
        String name = unique("prod/payment/stripe/api");
        String value = "{\"apiKey\":\"sk_live_51Hx\",\"provider\":\"stripe\"}";
        CreateSecretResponse created = sm.createSecret(r -> r.name(name).secretString(value).description("Stripe live key"));

        assertThat(created.arn()).matches("arn:aws:secretsmanager:us-east-1:" + server.accountId() + ":secret:"
                + name.replace("/", "/") + "-[A-Za-z0-9]{6}");
        assertThat(created.name()).isEqualTo(name);
        assertThat(created.versionId()).isNotBlank();

        GetSecretValueResponse got = sm.getSecretValue(r -> r.secretId(name));
        assertThat(got.secretString()).isEqualTo(value);
        assertThat(got.arn()).isEqualTo(created.arn());
        assertThat(got.versionId()).isEqualTo(created.versionId());
        assertThat(got.versionStages()).containsExactly("AWSCURRENT");
        assertThat(got.createdDate()).isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
    }

    @Test
    void secretIdResolvesByNameFullArnAndPartialArn() {
        String name = unique("prod/db/orders");
        String arn = sm.createSecret(r -> r.name(name).secretString("pw-1")).arn();
        String partial = arn.substring(0, arn.length() - 7);

        assertThat(sm.getSecretValue(r -> r.secretId(arn)).secretString()).isEqualTo("pw-1");
        assertThat(sm.getSecretValue(r -> r.secretId(partial)).secretString()).isEqualTo("pw-1");
        assertThat(sm.describeSecret(r -> r.secretId(partial)).arn()).isEqualTo(arn);
    }

    @Test
    void partialArnOfANameEndingInSixCharacters_isNotResolved() {
        String name = unique("svc") + "-a1b2c3";
        String arn = sm.createSecret(r -> r.name(name).secretString("v")).arn();
        String partial = arn.substring(0, arn.length() - 7);
        assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId(partial))).isInstanceOf(ResourceNotFoundException.class);
        assertThat(sm.getSecretValue(r -> r.secretId(arn)).secretString()).isEqualTo("v");
    }

    @Test
    void binarySecret_roundTripsAsBytes() {
        String name = unique("prod/tls/signing-key");
        byte[] key = new byte[] {0, 1, 2, (byte) 0xff, (byte) 0x80, 42};
        sm.createSecret(r -> r.name(name).secretBinary(SdkBytes.fromByteArray(key)));
        GetSecretValueResponse got = sm.getSecretValue(r -> r.secretId(name));
        assertThat(got.secretBinary().asByteArray()).containsExactly(key);
        assertThat(got.secretString()).isNull();
    }

    @Test
    void putSecretValue_movesCurrentToPreviousAndDropsTheOldPrevious() {
        String name = unique("prod/notifications/twilio/api");
        String v1 = sm.createSecret(r -> r.name(name).secretString("one")).versionId();
        PutSecretValueResponse put2 = sm.putSecretValue(r -> r.secretId(name).secretString("two"));
        assertThat(put2.versionStages()).containsExactly("AWSCURRENT");
        String v2 = put2.versionId();
        String v3 = sm.putSecretValue(r -> r.secretId(name).secretString("three")).versionId();

        assertThat(sm.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("three");
        assertThat(sm.getSecretValue(r -> r.secretId(name).versionStage("AWSPREVIOUS")).secretString()).isEqualTo("two");
        assertThat(sm.getSecretValue(r -> r.secretId(name).versionId(v1)).secretString()).isEqualTo("one");
        DescribeSecretResponse d = sm.describeSecret(r -> r.secretId(name));
        assertThat(d.versionIdsToStages()).containsOnlyKeys(v2, v3);
        assertThat(d.versionIdsToStages().get(v3)).containsExactly("AWSCURRENT");
        assertThat(d.versionIdsToStages().get(v2)).containsExactly("AWSPREVIOUS");

        // v1 is deprecated: hidden by default, listed without stages with IncludeDeprecated
        assertThat(sm.listSecretVersionIds(r -> r.secretId(name)).versions()).extracting(v -> v.versionId())
                .containsExactlyInAnyOrder(v2, v3);
        var all = sm.listSecretVersionIds(r -> r.secretId(name).includeDeprecated(true)).versions();
        assertThat(all).extracting(v -> v.versionId()).containsExactlyInAnyOrder(v1, v2, v3);
        assertThat(all.stream().filter(v -> v.versionId().equals(v1)).findFirst().orElseThrow().hasVersionStages()).isFalse();
        assertThat(all.getFirst().kmsKeyIds()).containsExactly("DefaultEncryptionKey");
    }

    @Test
    void pendingVersion_leavesCurrentAloneUntilItIsMoved() {
        String name = unique("prod/db/billing");
        String v1 = sm.createSecret(r -> r.name(name).secretString("old")).versionId();
        String v2 = sm.putSecretValue(r -> r.secretId(name).secretString("new").versionStages("AWSPENDING")).versionId();
        assertThat(sm.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("old");
        assertThat(sm.getSecretValue(r -> r.secretId(name).versionStage("AWSPENDING")).secretString()).isEqualTo("new");

        var error = org.assertj.core.api.Assertions.catchThrowableOfType(
                software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException.class,
                () -> sm.updateSecretVersionStage(r -> r.secretId(name).versionStage("AWSCURRENT").moveToVersionId(v2)));
        assertThat(error.awsErrorDetails().errorMessage()).isEqualTo("The parameter RemoveFromVersionId can't be empty. "
                + "Staging label AWSCURRENT is currently attached to version " + v1
                + ", so you must explicitly reference that version in RemoveFromVersionId.");

        sm.updateSecretVersionStage(r -> r.secretId(name).versionStage("AWSCURRENT").moveToVersionId(v2).removeFromVersionId(v1));
        assertThat(sm.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("new");
        var stages = sm.describeSecret(r -> r.secretId(name)).versionIdsToStages();
        assertThat(stages.get(v2)).containsExactlyInAnyOrder("AWSCURRENT", "AWSPENDING");
        assertThat(stages.get(v1)).containsExactly("AWSPREVIOUS");

        // A later put moves AWSCURRENT again: v2 becomes AWSPREVIOUS and loses AWSPENDING.
        String v3 = sm.putSecretValue(r -> r.secretId(name).secretString("newest")).versionId();
        stages = sm.describeSecret(r -> r.secretId(name)).versionIdsToStages();
        assertThat(stages.get(v3)).containsExactly("AWSCURRENT");
        assertThat(stages.get(v2)).containsExactly("AWSPREVIOUS");
        assertThat(stages).doesNotContainKey(v1);
    }

    @Test
    void sameClientRequestToken_isIdempotentForTheSameValueAndRefusedForAnother() {
        String name = unique("prod/payment/adyen/api");
        sm.createSecret(r -> r.name(name).secretString("first"));
        String token = UUID.randomUUID().toString();
        PutSecretValueResponse a = sm.putSecretValue(r -> r.secretId(name).secretString("second").clientRequestToken(token));
        PutSecretValueResponse b = sm.putSecretValue(r -> r.secretId(name).secretString("second").clientRequestToken(token));
        assertThat(a.versionId()).isEqualTo(token).isEqualTo(b.versionId());
        assertThat(sm.listSecretVersionIds(r -> r.secretId(name).includeDeprecated(true)).versions()).hasSize(2);

        var error = org.assertj.core.api.Assertions.catchThrowableOfType(
                software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException.class,
                () -> sm.putSecretValue(r -> r.secretId(name).secretString("different").clientRequestToken(token)));
        assertThat(error.awsErrorDetails().errorMessage()).isEqualTo("You can't use ClientRequestToken " + token
                + " because that value is already in use for a version of secret " + a.arn() + ".");
        assertThat(sm.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("second");
    }

    @Test
    void updateSecret_metadataOnlyMakesNoVersion_valueMakesANewCurrentVersion() {
        String name = unique("staging/search/algolia");
        String v1 = sm.createSecret(r -> r.name(name).secretString("k1")).versionId();
        var meta = sm.updateSecret(r -> r.secretId(name).description("Algolia admin key"));
        assertThat(meta.versionId()).isNull();
        assertThat(sm.describeSecret(r -> r.secretId(name)).description()).isEqualTo("Algolia admin key");

        var withValue = sm.updateSecret(r -> r.secretId(name).secretString("k2"));
        assertThat(withValue.versionId()).isNotNull().isNotEqualTo(v1);
        assertThat(sm.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("k2");
        assertThat(sm.getSecretValue(r -> r.secretId(name).versionStage("AWSPREVIOUS")).secretString()).isEqualTo("k1");
    }

    @Test
    void createWithoutValue_hasNoVersionUntilOneIsPut() {
        String name = unique("prod/crm/hubspot");
        CreateSecretResponse created = sm.createSecret(r -> r.name(name));
        assertThat(created.versionId()).isNull();
        assertThat(sm.describeSecret(r -> r.secretId(name)).hasVersionIdsToStages()).isFalse();
        var error = org.assertj.core.api.Assertions.catchThrowableOfType(ResourceNotFoundException.class,
                () -> sm.getSecretValue(r -> r.secretId(name)));
        assertThat(error.awsErrorDetails().errorMessage())
                .isEqualTo("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
        sm.putSecretValue(r -> r.secretId(name).secretString("now"));
        assertThat(sm.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("now");
    }

    @Test
    void describe_showsTagsOnlyOnceTaggedAndAnEmptyListAfterAllAreRemoved() {
        String name = unique("prod/analytics/segment");
        sm.createSecret(r -> r.name(name).secretString("w"));
        assertThat(sm.describeSecret(r -> r.secretId(name)).hasTags()).isFalse();
        sm.tagResource(r -> r.secretId(name).tags(Tag.builder().key("team").value("growth").build(),
                Tag.builder().key("env").value("prod").build()));
        sm.tagResource(r -> r.secretId(name).tags(Tag.builder().key("team").value("data").build()));
        assertThat(sm.describeSecret(r -> r.secretId(name)).tags()).extracting(Tag::key, Tag::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("team", "data"), org.assertj.core.groups.Tuple.tuple("env", "prod"));
        sm.untagResource(r -> r.secretId(name).tagKeys("team", "env"));
        DescribeSecretResponse d = sm.describeSecret(r -> r.secretId(name));
        assertThat(d.hasTags()).isTrue();
        assertThat(d.tags()).isEmpty();
    }

    @Test
    void getSecretValue_setsLastAccessedDateAtDayGranularity() {
        String name = unique("prod/cache/redis");
        sm.createSecret(r -> r.name(name).secretString("r"));
        assertThat(sm.describeSecret(r -> r.secretId(name)).lastAccessedDate()).isNull();
        sm.getSecretValue(r -> r.secretId(name));
        Instant accessed = sm.describeSecret(r -> r.secretId(name)).lastAccessedDate();
        assertThat(accessed).isNotNull();
        assertThat(accessed.getEpochSecond() % 86_400).isZero();
    }

    @Test
    void deleteWithRecoveryWindow_thenRestore_bringsTheSecretBack() {
        String name = unique("prod/email/sendgrid");
        sm.createSecret(r -> r.name(name).secretString("sg"));
        var deleted = sm.deleteSecret(r -> r.secretId(name).recoveryWindowInDays(7L));
        assertThat(deleted.deletionDate()).isCloseTo(Instant.now().plus(Duration.ofDays(7)), within(Duration.ofMinutes(1)));

        DescribeSecretResponse d = sm.describeSecret(r -> r.secretId(name));
        assertThat(d.deletedDate()).isNotNull();
        assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId(name))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("You can't perform this operation on the secret because it was marked for deletion.");
        assertThatThrownBy(() -> sm.tagResource(r -> r.secretId(name).tags(Tag.builder().key("a").value("b").build())))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> sm.createSecret(r -> r.name(name).secretString("again")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("You can't create this secret because a secret with this name is already scheduled for deletion.");
        assertThat(listNames(sm.listSecrets(r -> r.filters(nameFilter(name))))).doesNotContain(name);
        assertThat(listNames(sm.listSecrets(r -> r.filters(nameFilter(name)).includePlannedDeletion(true)))).contains(name);

        sm.restoreSecret(r -> r.secretId(name));
        assertThat(sm.describeSecret(r -> r.secretId(name)).deletedDate()).isNull();
        assertThat(sm.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("sg");
    }

    @Test
    void forceDelete_freesTheNameAtOnce() {
        String name = unique("dev/payment/stripe/test");
        sm.createSecret(r -> r.name(name).secretString("sk_test"));
        sm.deleteSecret(r -> r.secretId(name).recoveryWindowInDays(30L));
        var forced = sm.deleteSecret(r -> r.secretId(name).forceDeleteWithoutRecovery(true));
        assertThat(forced.name()).isEqualTo(name);
        assertThatThrownBy(() -> sm.describeSecret(r -> r.secretId(name))).isInstanceOf(ResourceNotFoundException.class);
        sm.createSecret(r -> r.name(name).secretString("sk_test_2"));
        assertThat(sm.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("sk_test_2");
    }

    @Test
    void listSecrets_filtersByNameTagDescriptionAndNegation() {
        // letters only: the "all" filter splits words at letter/digit changes, as AWS does
        String team = "team" + UUID.randomUUID().toString().replaceAll("[^a-f]", "");
        String a = team + "/prod/stripe";
        String b = team + "/prod/twilio";
        String c = team + "/staging/stripe";
        sm.createSecret(r -> r.name(a).secretString("1").description("Payments KEY").tags(Tag.builder().key("env").value("prod").build()));
        sm.createSecret(r -> r.name(b).secretString("2").tags(Tag.builder().key("env").value("prod").build()));
        sm.createSecret(r -> r.name(c).secretString("3").tags(Tag.builder().key("env").value("staging").build()));

        assertThat(listNames(sm.listSecrets(r -> r.filters(nameFilter(team + "/prod/"))))).containsExactlyInAnyOrder(a, b);
        assertThat(listNames(sm.listSecrets(r -> r.filters(nameFilter(team + "/"),
                Filter.builder().key(FilterNameStringType.TAG_VALUE).values("staging").build())))).containsExactly(c);
        assertThat(listNames(sm.listSecrets(r -> r.filters(nameFilter(team + "/"),
                Filter.builder().key(FilterNameStringType.DESCRIPTION).values("payments k").build())))).containsExactly(a);
        assertThat(listNames(sm.listSecrets(r -> r.filters(nameFilter(team + "/"),
                Filter.builder().key(FilterNameStringType.TAG_VALUE).values("!prod").build())))).containsExactly(c);
        assertThat(listNames(sm.listSecrets(r -> r.filters(Filter.builder().key(FilterNameStringType.ALL)
                .values(team).build())))).containsExactlyInAnyOrder(a, b, c);
        assertThat(listNames(sm.listSecrets(r -> r.filters(nameFilter(team.toUpperCase() + "/"))))).isEmpty();
    }

    @Test
    void listSecrets_pagesThroughEverySecretOnceInCreationOrder() {
        String prefix = "p" + UUID.randomUUID().toString().substring(0, 6) + "/svc-";
        for (int i = 0; i < 7; i++) {
            int n = i;
            sm.createSecret(r -> r.name(prefix + n).secretString("v" + n));
        }
        List<String> seen = new java.util.ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListSecretsResponse page = sm.listSecrets(r -> r.filters(nameFilter(prefix)).maxResults(3).nextToken(t)
                    .sortOrder(SortOrderType.ASC));
            seen.addAll(listNames(page));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(prefix + 0, prefix + 1, prefix + 2, prefix + 3, prefix + 4, prefix + 5, prefix + 6);

        // the SDK's own paginator walks the same pages
        List<String> viaPaginator = sm.listSecretsPaginator(r -> r.filters(nameFilter(prefix)).maxResults(2)
                .sortOrder(SortOrderType.DESC)).stream().flatMap(p -> p.secretList().stream()).map(SecretListEntry::name).toList();
        assertThat(viaPaginator).containsExactly(prefix + 6, prefix + 5, prefix + 4, prefix + 3, prefix + 2, prefix + 1, prefix + 0);
    }

    @Test
    void listSecrets_entriesCarrySecretVersionsToStages() {
        String name = unique("prod/maps/google");
        String v = sm.createSecret(r -> r.name(name).secretString("g")).versionId();
        SecretListEntry entry = sm.listSecrets(r -> r.filters(nameFilter(name))).secretList().getFirst();
        assertThat(entry.secretVersionsToStages()).containsEntry(v, List.of("AWSCURRENT"));
        assertThat(entry.createdDate()).isNotNull();
        assertThat(entry.lastChangedDate()).isNotNull();
    }

    @Test
    void batchGetSecretValue_returnsValuesAndPerSecretErrors() {
        String a = unique("prod/batch/a");
        String b = unique("prod/batch/b");
        sm.createSecret(r -> r.name(a).secretString("A"));
        sm.createSecret(r -> r.name(b).secretString("B"));
        var batch = sm.batchGetSecretValue(r -> r.secretIdList(a, b, "prod/batch/does-not-exist"));
        assertThat(batch.secretValues()).extracting(s -> s.name() + "=" + s.secretString())
                .containsExactlyInAnyOrder(a + "=A", b + "=B");
        assertThat(batch.errors()).singleElement().satisfies(e -> {
            assertThat(e.secretId()).isEqualTo("prod/batch/does-not-exist");
            assertThat(e.errorCode()).isEqualTo("ResourceNotFoundException");
        });
        var filtered = sm.batchGetSecretValue(r -> r.filters(nameFilter(a)));
        assertThat(filtered.secretValues()).extracting(s -> s.secretString()).containsExactly("A");
    }

    @Test
    void regionsAreSeparateNamespaces() {
        String name = unique("prod/shared/name");
        sm.createSecret(r -> r.name(name).secretString("east"));
        try (SecretsManagerClient west = server.secretsManager("eu-west-1")) {
            assertThatThrownBy(() -> west.getSecretValue(r -> r.secretId(name))).isInstanceOf(ResourceNotFoundException.class);
            String westArn = west.createSecret(r -> r.name(name).secretString("west")).arn();
            assertThat(westArn).startsWith("arn:aws:secretsmanager:eu-west-1:");
            assertThat(west.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("west");
        }
        assertThat(sm.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("east");
    }

    @Test
    void everyReadAfterAnAcknowledgedWrite_seesThatWrite() throws Exception {
        // Reads are served from a cache of sealed versions; a write must never be hidden by it,
        // even with other clients reading the same secret at the same time.
        String name = unique("prod/hot/feature-flags");
        sm.createSecret(r -> r.name(name).secretString("v0"));
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = Thread.ofVirtual().start(() -> {
            while (!stop.get()) sm.getSecretValue(r -> r.secretId(name));
        });
        try {
            for (int i = 1; i <= 40; i++) {
                String value = "v" + i;
                sm.putSecretValue(r -> r.secretId(name).secretString(value));
                assertThat(sm.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo(value);
                assertThat(sm.getSecretValue(r -> r.secretId(name).versionStage("AWSPREVIOUS")).secretString())
                        .isEqualTo("v" + (i - 1));
            }
            sm.deleteSecret(r -> r.secretId(name).recoveryWindowInDays(7L));
            assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId(name))).isInstanceOf(InvalidRequestException.class);
        } finally {
            stop.set(true);
            reader.join();
        }
    }

    private static Filter nameFilter(String prefix) {
        return Filter.builder().key(FilterNameStringType.NAME).values(prefix).build();
    }

    private static List<String> listNames(ListSecretsResponse response) {
        return response.secretList().stream().map(SecretListEntry::name).toList();
    }

    private static org.assertj.core.data.TemporalUnitOffset within(Duration d) {
        return new org.assertj.core.data.TemporalUnitWithinOffset(d.toSeconds(), java.time.temporal.ChronoUnit.SECONDS);
    }
}
