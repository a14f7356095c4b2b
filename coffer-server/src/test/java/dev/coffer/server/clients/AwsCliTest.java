package dev.coffer.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.testkit.AwsCli;
import dev.coffer.server.testkit.AwsCli.Run;
import dev.coffer.server.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Coffer driven by the real AWS CLI, as a user would drive it: every call is an
 * {@code aws secretsmanager ...} subprocess against a real server, with the server's own
 * {@code admin.credentials} file and no other AWS configuration. Expected keys, error
 * codes and messages come from aws-behaviour.md (recorded against real AWS).
 *
 * <p>The CLI must be installed: this suite fails, rather than skips, without it.
 */
class AwsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** AWS CLI v1 exits 255 on a service error; v2 exits 254. */
    private static final Set<Integer> SERVICE_ERROR_EXITS = Set.of(254, 255);
    private static final String REGION = "us-east-1";
    private static final String REPLICA_REGION = "eu-west-1";
    private static final String INVALID_NAME = "Invalid name. Must be a valid name containing alphanumeric characters, "
            + "or any of the following: -/_+=.@!";
    private static final String NOT_FOUND = "Secrets Manager can't find the specified secret.";

    private static TestServer server;
    private static Path scratch;
    private static AwsCli cli;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start();
        scratch = Files.createTempDirectory("coffer-aws-cli-");
        cli = AwsCli.against(server, scratch);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (scratch != null) TestServer.deleteRecursively(scratch);
    }

    // ---- create and read ------------------------------------------------------------------

    @Test
    void createString_thenGetByNameFullArnAndPartialArn() {
        String name = "prod/payment/stripe/api";
        String value = "{\"apiKey\":\"sk_test_51FakeStripeKey\",\"provider\":\"stripe\"}";
        JsonNode created = ok("create-secret", "--name", name, "--secret-string", value,
                "--description", "Stripe API key for the payment service");
        assertThat(fieldNames(created)).containsExactlyInAnyOrder("ARN", "Name", "VersionId");
        String arn = created.get("ARN").asText();
        assertThat(arn).matches(Pattern.quote("arn:aws:secretsmanager:" + REGION + ":" + server.accountId() + ":secret:"
                + name + "-") + "[A-Za-z0-9]{6}");
        assertThat(created.get("Name").asText()).isEqualTo(name);
        String versionId = created.get("VersionId").asText();
        assertThat(versionId).isNotBlank();

        JsonNode byName = ok("get-secret-value", "--secret-id", name);
        assertThat(fieldNames(byName)).containsExactlyInAnyOrder("ARN", "Name", "VersionId", "SecretString",
                "VersionStages", "CreatedDate");
        assertThat(byName.get("SecretString").asText()).isEqualTo(value);
        assertThat(parse(byName.get("SecretString").asText()).get("provider").asText()).isEqualTo("stripe");
        assertThat(byName.get("ARN").asText()).isEqualTo(arn);
        assertThat(byName.get("VersionId").asText()).isEqualTo(versionId);
        assertThat(texts(byName.get("VersionStages"))).containsExactly("AWSCURRENT");
        assertRecent(byName.get("CreatedDate"));

        String partialArn = arn.substring(0, arn.length() - 7);
        for (String id : List.of(arn, partialArn)) {
            JsonNode got = ok("get-secret-value", "--secret-id", id);
            assertThat(got.get("SecretString").asText()).as("value read by %s", id).isEqualTo(value);
            assertThat(got.get("ARN").asText()).isEqualTo(arn);
        }
        assertThat(ok("describe-secret", "--secret-id", partialArn).get("ARN").asText()).isEqualTo(arn);
    }

    @Test
    void partialArnOfANameEndingInSixCharacters_isNotResolved() {
        String name = "prod/search/algolia-a1b2c3";
        String arn = ok("create-secret", "--name", name, "--secret-string", "algolia-fake-admin-key").get("ARN").asText();
        String partialArn = arn.substring(0, arn.length() - 7);
        fails("ResourceNotFoundException", "GetSecretValue", NOT_FOUND, "get-secret-value", "--secret-id", partialArn);
        assertThat(ok("get-secret-value", "--secret-id", arn).get("SecretString").asText()).isEqualTo("algolia-fake-admin-key");
    }

    @Test
    void binarySecret_viaFileb_roundTripsAsBase64() throws IOException {
        String name = "prod/tls/payments-signing-key";
        byte[] key = {0, 1, 2, (byte) 0xff, (byte) 0x80, 42, '\n', 0x7f};
        Path file = scratch.resolve("signing-key.bin");
        Files.write(file, key);
        JsonNode created = ok("create-secret", "--name", name, "--secret-binary", "fileb://" + file);
        assertThat(fieldNames(created)).containsExactlyInAnyOrder("ARN", "Name", "VersionId");

        JsonNode got = ok("get-secret-value", "--secret-id", name);
        assertThat(fieldNames(got)).containsExactlyInAnyOrder("ARN", "Name", "VersionId", "SecretBinary",
                "VersionStages", "CreatedDate");
        assertThat(Base64.getDecoder().decode(got.get("SecretBinary").asText())).containsExactly(key);

        byte[] rotated = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
        Path next = scratch.resolve("signing-key-2.bin");
        Files.write(next, rotated);
        ok("put-secret-value", "--secret-id", name, "--secret-binary", "fileb://" + next);
        assertThat(Base64.getDecoder().decode(ok("get-secret-value", "--secret-id", name).get("SecretBinary").asText()))
                .containsExactly(rotated);
        assertThat(Base64.getDecoder().decode(ok("get-secret-value", "--secret-id", name, "--version-stage", "AWSPREVIOUS")
                .get("SecretBinary").asText())).containsExactly(key);
    }

    @Test
    void createWithoutValue_hasNoVersionAndGetSecretValueSaysSo() {
        String name = "prod/crm/hubspot/api";
        JsonNode created = ok("create-secret", "--name", name);
        assertThat(fieldNames(created)).containsExactlyInAnyOrder("ARN", "Name");

        JsonNode described = ok("describe-secret", "--secret-id", name);
        assertThat(fieldNames(described)).contains("ARN", "Name", "CreatedDate", "LastChangedDate")
                .doesNotContain("VersionIdsToStages", "Description", "Tags", "DeletedDate", "LastAccessedDate",
                        "RotationEnabled", "RotationLambdaARN", "RotationRules", "LastRotatedDate", "NextRotationDate");
        fails("ResourceNotFoundException", "GetSecretValue",
                "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
                "get-secret-value", "--secret-id", name);

        ok("put-secret-value", "--secret-id", name, "--secret-string", "{\"token\":\"pat-fake-hubspot\"}");
        assertThat(ok("get-secret-value", "--secret-id", name).get("SecretString").asText())
                .isEqualTo("{\"token\":\"pat-fake-hubspot\"}");
    }

    // ---- versions and staging labels ------------------------------------------------------

    @Test
    void putSecretValue_movesLabels_andEveryVersionIsReadableByStageOrId() {
        String name = "prod/notifications/twilio/api";
        String v1 = ok("create-secret", "--name", name, "--secret-string", "{\"authToken\":\"fake-one\"}")
                .get("VersionId").asText();
        JsonNode put2 = ok("put-secret-value", "--secret-id", name, "--secret-string", "{\"authToken\":\"fake-two\"}");
        assertThat(fieldNames(put2)).containsExactlyInAnyOrder("ARN", "Name", "VersionId", "VersionStages");
        assertThat(texts(put2.get("VersionStages"))).containsExactly("AWSCURRENT");
        String v2 = put2.get("VersionId").asText();
        String v3 = ok("put-secret-value", "--secret-id", name, "--secret-string", "{\"authToken\":\"fake-three\"}")
                .get("VersionId").asText();

        assertThat(value(name)).isEqualTo("{\"authToken\":\"fake-three\"}");
        JsonNode previous = ok("get-secret-value", "--secret-id", name, "--version-stage", "AWSPREVIOUS");
        assertThat(previous.get("SecretString").asText()).isEqualTo("{\"authToken\":\"fake-two\"}");
        assertThat(previous.get("VersionId").asText()).isEqualTo(v2);
        assertThat(texts(previous.get("VersionStages"))).containsExactly("AWSPREVIOUS");
        JsonNode first = ok("get-secret-value", "--secret-id", name, "--version-id", v1);
        assertThat(first.get("SecretString").asText()).isEqualTo("{\"authToken\":\"fake-one\"}");
        assertThat(first.has("VersionStages") ? texts(first.get("VersionStages")) : List.of()).isEmpty();
        assertThat(ok("get-secret-value", "--secret-id", name, "--version-id", v3, "--version-stage", "AWSCURRENT")
                .get("SecretString").asText()).isEqualTo("{\"authToken\":\"fake-three\"}");

        Map<String, List<String>> stages = stageMap(ok("describe-secret", "--secret-id", name).get("VersionIdsToStages"));
        assertThat(stages).containsOnlyKeys(v2, v3);
        assertThat(stages.get(v3)).containsExactly("AWSCURRENT");
        assertThat(stages.get(v2)).containsExactly("AWSPREVIOUS");

        JsonNode listed = ok("list-secret-version-ids", "--secret-id", name);
        assertThat(fieldNames(listed)).contains("ARN", "Name", "Versions");
        assertThat(versionIds(listed)).containsExactlyInAnyOrder(v2, v3);
        JsonNode all = ok("list-secret-version-ids", "--secret-id", name, "--include-deprecated");
        assertThat(versionIds(all)).containsExactlyInAnyOrder(v1, v2, v3);
        for (JsonNode v : all.get("Versions")) {
            assertThat(texts(v.get("KmsKeyIds"))).containsExactly("DefaultEncryptionKey");
            assertRecent(v.get("CreatedDate"));
            if (v.get("VersionId").asText().equals(v1)) {
                assertThat(v.has("VersionStages")).as("a deprecated version is listed without VersionStages: %s", v).isFalse();
            }
        }
    }

    @Test
    void pendingVersion_isPromotedWithUpdateSecretVersionStage() {
        String name = "prod/db/orders/postgres";
        String v1 = ok("create-secret", "--name", name, "--secret-string", "{\"password\":\"fake-old\"}")
                .get("VersionId").asText();
        JsonNode pending = ok("put-secret-value", "--secret-id", name, "--secret-string", "{\"password\":\"fake-new\"}",
                "--version-stages", "AWSPENDING");
        assertThat(texts(pending.get("VersionStages"))).containsExactly("AWSPENDING");
        String v2 = pending.get("VersionId").asText();
        assertThat(value(name)).isEqualTo("{\"password\":\"fake-old\"}");
        assertThat(ok("get-secret-value", "--secret-id", name, "--version-stage", "AWSPENDING").get("SecretString").asText())
                .isEqualTo("{\"password\":\"fake-new\"}");

        fails("InvalidParameterException", "UpdateSecretVersionStage", "The parameter RemoveFromVersionId can't be empty. "
                        + "Staging label AWSCURRENT is currently attached to version " + v1
                        + ", so you must explicitly reference that version in RemoveFromVersionId.",
                "update-secret-version-stage", "--secret-id", name, "--version-stage", "AWSCURRENT",
                "--move-to-version-id", v2);

        JsonNode moved = ok("update-secret-version-stage", "--secret-id", name, "--version-stage", "AWSCURRENT",
                "--move-to-version-id", v2, "--remove-from-version-id", v1);
        assertThat(fieldNames(moved)).containsExactlyInAnyOrder("ARN", "Name");
        assertThat(value(name)).isEqualTo("{\"password\":\"fake-new\"}");
        Map<String, List<String>> stages = stageMap(ok("describe-secret", "--secret-id", name).get("VersionIdsToStages"));
        assertThat(stages.get(v2)).containsExactlyInAnyOrder("AWSCURRENT", "AWSPENDING");
        assertThat(stages.get(v1)).containsExactly("AWSPREVIOUS");

        // a later put moves AWSCURRENT again: v2 becomes AWSPREVIOUS and loses AWSPENDING
        String v3 = ok("put-secret-value", "--secret-id", name, "--secret-string", "{\"password\":\"fake-newest\"}")
                .get("VersionId").asText();
        stages = stageMap(ok("describe-secret", "--secret-id", name).get("VersionIdsToStages"));
        assertThat(stages).containsOnlyKeys(v2, v3);
        assertThat(stages.get(v3)).containsExactly("AWSCURRENT");
        assertThat(stages.get(v2)).containsExactly("AWSPREVIOUS");
    }

    @Test
    void clientRequestToken_isIdempotentForTheSameValue_andRefusedForAnother() {
        String name = "prod/payment/adyen/api";
        ok("create-secret", "--name", name, "--secret-string", "{\"apiKey\":\"AQE-fake-1\"}");
        String token = UUID.randomUUID().toString();
        JsonNode a = ok("put-secret-value", "--secret-id", name, "--secret-string", "{\"apiKey\":\"AQE-fake-2\"}",
                "--client-request-token", token);
        JsonNode b = ok("put-secret-value", "--secret-id", name, "--secret-string", "{\"apiKey\":\"AQE-fake-2\"}",
                "--client-request-token", token);
        assertThat(a.get("VersionId").asText()).isEqualTo(token);
        assertThat(b.get("VersionId").asText()).isEqualTo(token);
        assertThat(versionIds(ok("list-secret-version-ids", "--secret-id", name, "--include-deprecated"))).hasSize(2);

        fails("ResourceExistsException", "PutSecretValue", "You can't use ClientRequestToken " + token
                        + " because that value is already in use for a version of secret " + a.get("ARN").asText() + ".",
                "put-secret-value", "--secret-id", name, "--secret-string", "{\"apiKey\":\"AQE-fake-3\"}",
                "--client-request-token", token);
        assertThat(value(name)).isEqualTo("{\"apiKey\":\"AQE-fake-2\"}");
    }

    @Test
    void updateSecret_metadataOnlyMakesNoVersion_aValueMakesANewCurrentVersion() {
        String name = "staging/search/algolia/admin";
        String v1 = ok("create-secret", "--name", name, "--secret-string", "algolia-fake-k1").get("VersionId").asText();
        JsonNode meta = ok("update-secret", "--secret-id", name, "--description", "Algolia admin key");
        assertThat(fieldNames(meta)).containsExactlyInAnyOrder("ARN", "Name");
        assertThat(ok("describe-secret", "--secret-id", name).get("Description").asText()).isEqualTo("Algolia admin key");

        JsonNode withValue = ok("update-secret", "--secret-id", name, "--secret-string", "algolia-fake-k2");
        assertThat(fieldNames(withValue)).containsExactlyInAnyOrder("ARN", "Name", "VersionId");
        assertThat(withValue.get("VersionId").asText()).isNotEqualTo(v1);
        assertThat(value(name)).isEqualTo("algolia-fake-k2");
        assertThat(ok("get-secret-value", "--secret-id", name, "--version-stage", "AWSPREVIOUS").get("SecretString").asText())
                .isEqualTo("algolia-fake-k1");
    }

    // ---- describe, tags, list ---------------------------------------------------------------

    @Test
    void describeSecret_showsOptionalKeysOnlyWhenTheyApply() {
        String name = "prod/analytics/segment/write-key";
        String versionId = ok("create-secret", "--name", name, "--secret-string", "segment-fake-write-key",
                "--description", "Segment write key").get("VersionId").asText();
        JsonNode fresh = ok("describe-secret", "--secret-id", name);
        assertThat(fieldNames(fresh)).contains("ARN", "Name", "Description", "CreatedDate", "LastChangedDate",
                        "VersionIdsToStages")
                .doesNotContain("Tags", "DeletedDate", "LastAccessedDate", "RotationEnabled", "RotationLambdaARN",
                        "RotationRules", "LastRotatedDate", "NextRotationDate");
        assertThat(stageMap(fresh.get("VersionIdsToStages"))).containsExactly(Map.entry(versionId, List.of("AWSCURRENT")));
        assertRecent(fresh.get("CreatedDate"));
        assertRecent(fresh.get("LastChangedDate"));

        ok("get-secret-value", "--secret-id", name);
        JsonNode accessed = ok("describe-secret", "--secret-id", name);
        assertThat(accessed.has("LastAccessedDate")).as("LastAccessedDate after a GetSecretValue: %s", accessed).isTrue();
        assertThat(accessed.get("LastAccessedDate").isNumber()).isTrue();
    }

    @Test
    void tagAndUntag_returnNothing_andDescribeShowsAnEmptyListOnceAllTagsAreGone() {
        String name = "prod/email/sendgrid/api";
        ok("create-secret", "--name", name, "--secret-string", "SG.fake-sendgrid-key");
        assertThat(ok("describe-secret", "--secret-id", name).has("Tags")).isFalse();

        Run tagged = aws(REGION, "tag-resource", "--secret-id", name, "--tags",
                "[{\"Key\":\"team\",\"Value\":\"growth\"},{\"Key\":\"env\",\"Value\":\"prod\"}]");
        assertThat(tagged.exit()).as(tagged.describe()).isZero();
        assertThat(tagged.stdout().isBlank() || parse(tagged.stdout()).isEmpty()).as(tagged.describe()).isTrue();
        ok("tag-resource", "--secret-id", name, "--tags", "Key=team,Value=messaging");
        assertThat(tags(ok("describe-secret", "--secret-id", name))).containsExactly(
                Map.entry("team", "messaging"), Map.entry("env", "prod"));

        ok("untag-resource", "--secret-id", name, "--tag-keys", "team");
        assertThat(tags(ok("describe-secret", "--secret-id", name))).containsExactly(Map.entry("env", "prod"));
        ok("untag-resource", "--secret-id", name, "--tag-keys", "env");
        JsonNode described = ok("describe-secret", "--secret-id", name);
        assertThat(described.has("Tags")).as("Tags after every tag was removed: %s", described).isTrue();
        assertThat(described.get("Tags").isArray() && described.get("Tags").isEmpty()).as(described.toString()).isTrue();
    }

    @Test
    void listSecrets_filtersByNameTagDescriptionAndNegation() {
        String team = "listteam";
        String stripe = team + "/prod/stripe";
        String twilio = team + "/prod/twilio";
        String staging = team + "/staging/stripe";
        ok("create-secret", "--name", stripe, "--secret-string", "sk_test_fake_list", "--description", "Payments KEY",
                "--tags", "[{\"Key\":\"env\",\"Value\":\"prod\"},{\"Key\":\"cost-center\",\"Value\":\"payments\"}]");
        ok("create-secret", "--name", twilio, "--secret-string", "twilio-fake-list", "--tags", "Key=env,Value=prod");
        ok("create-secret", "--name", staging, "--secret-string", "sk_test_fake_staging", "--tags", "Key=env,Value=staging");

        assertThat(listNames("--filters", filters("name", team + "/prod/"))).containsExactlyInAnyOrder(stripe, twilio);
        assertThat(listNames("--filters", filters("name", team + "/", "tag-value", "staging"))).containsExactly(staging);
        assertThat(listNames("--filters", filters("name", team + "/", "tag-key", "cost-"))).containsExactly(stripe);
        assertThat(listNames("--filters", filters("name", team + "/", "description", "payments k"))).containsExactly(stripe);
        assertThat(listNames("--filters", filters("name", team + "/", "tag-value", "!prod"))).containsExactly(staging);
        assertThat(listNames("--filters", "Key=name,Values=" + team + "/staging/")).containsExactly(staging);
        assertThat(listNames("--filters", filters("name", team.toUpperCase() + "/"))).isEmpty();

        JsonNode entry = ok("list-secrets", "--filters", filters("name", stripe)).get("SecretList").get(0);
        assertThat(fieldNames(entry)).contains("ARN", "Name", "CreatedDate", "LastChangedDate", "Description",
                "SecretVersionsToStages").doesNotContain("VersionIdsToStages");
        assertThat(stageMap(entry.get("SecretVersionsToStages")).values()).containsExactly(List.of("AWSCURRENT"));
    }

    @Test
    void listSecrets_paginatesWithMaxItemsPageSizeAndAutomatically() {
        String prefix = "pagination/orders-svc/";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            names.add(prefix + "key" + i);
            ok("create-secret", "--name", prefix + "key" + i, "--secret-string", "fake-page-value-" + i);
        }
        String filter = filters("name", prefix);

        // the CLI's automatic pagination: small pages, every secret once
        assertThat(listNames("--filters", filter, "--page-size", "2", "--sort-order", "asc"))
                .containsExactlyElementsOf(names);
        assertThat(listNames("--filters", filter)).containsExactlyInAnyOrderElementsOf(names);

        // --max-items stops early and hands back a token for --starting-token
        List<String> seen = new ArrayList<>();
        String token = null;
        int calls = 0;
        do {
            List<String> args = new ArrayList<>(List.of("list-secrets", "--filters", filter, "--sort-order", "asc",
                    "--max-items", "3", "--page-size", "2"));
            if (token != null) {
                args.add("--starting-token");
                args.add(token);
            }
            JsonNode page = ok(args.toArray(String[]::new));
            assertThat(page.get("SecretList").size()).isLessThanOrEqualTo(3);
            page.get("SecretList").forEach(e -> seen.add(e.get("Name").asText()));
            token = page.has("NextToken") ? page.get("NextToken").asText() : null;
            calls++;
        } while (token != null && calls < 10);
        assertThat(calls).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(names);

        List<String> descending = listNames("--filters", filter, "--page-size", "3", "--sort-order", "desc");
        assertThat(descending).containsExactlyElementsOf(names.reversed());
    }

    @Test
    void batchGetSecretValue_returnsValuesAndPerSecretErrors() {
        String a = "prod/batch/orders/db";
        String b = "prod/batch/orders/cache";
        ok("create-secret", "--name", a, "--secret-string", "fake-batch-a");
        ok("create-secret", "--name", b, "--secret-string", "fake-batch-b");
        JsonNode batch = ok("batch-get-secret-value", "--secret-id-list", a, b, "prod/batch/orders/missing");
        List<String> values = new ArrayList<>();
        batch.get("SecretValues").forEach(v -> values.add(v.get("Name").asText() + "=" + v.get("SecretString").asText()));
        assertThat(values).containsExactlyInAnyOrder(a + "=fake-batch-a", b + "=fake-batch-b");
        assertThat(batch.get("Errors").size()).isEqualTo(1);
        JsonNode error = batch.get("Errors").get(0);
        assertThat(error.get("SecretId").asText()).isEqualTo("prod/batch/orders/missing");
        assertThat(error.get("ErrorCode").asText()).isEqualTo("ResourceNotFoundException");
        assertThat(error.get("Message").asText()).isEqualTo(NOT_FOUND);

        JsonNode filtered = ok("batch-get-secret-value", "--filters", filters("name", "prod/batch/orders/c"));
        assertThat(filtered.get("SecretValues").size()).isEqualTo(1);
        assertThat(filtered.get("SecretValues").get(0).get("SecretString").asText()).isEqualTo("fake-batch-b");
    }

    // ---- deletion ----------------------------------------------------------------------------

    @Test
    void deleteWithRecoveryWindow_thenRestore_bringsTheSecretBack() {
        String name = "prod/email/mailgun/api";
        ok("create-secret", "--name", name, "--secret-string", "key-fake-mailgun");
        JsonNode deleted = ok("delete-secret", "--secret-id", name, "--recovery-window-in-days", "7");
        assertThat(fieldNames(deleted)).containsExactlyInAnyOrder("ARN", "Name", "DeletionDate");
        assertClose(deleted.get("DeletionDate"), Instant.now().plus(Duration.ofDays(7)));

        JsonNode described = ok("describe-secret", "--secret-id", name);
        assertThat(described.has("DeletedDate")).as(described.toString()).isTrue();
        String markedForDeletion = "You can't perform this operation on the secret because it was marked for deletion.";
        fails("InvalidRequestException", "TagResource", markedForDeletion,
                "tag-resource", "--secret-id", name, "--tags", "Key=team,Value=growth");
        fails("InvalidRequestException", "UntagResource", markedForDeletion,
                "untag-resource", "--secret-id", name, "--tag-keys", "team");
        fails("InvalidRequestException", "CreateSecret",
                "You can't create this secret because a secret with this name is already scheduled for deletion.",
                "create-secret", "--name", name, "--secret-string", "key-fake-mailgun-2");
        assertThat(listNames("--filters", filters("name", name))).doesNotContain(name);
        assertThat(listNames("--filters", filters("name", name), "--include-planned-deletion")).containsExactly(name);

        JsonNode restored = ok("restore-secret", "--secret-id", name);
        assertThat(fieldNames(restored)).containsExactlyInAnyOrder("ARN", "Name");
        assertThat(ok("describe-secret", "--secret-id", name).has("DeletedDate")).isFalse();
        assertThat(value(name)).isEqualTo("key-fake-mailgun");
    }

    @Test
    void forceDeleteWithoutRecovery_worksOnAScheduledSecretAndFreesTheName() {
        String name = "dev/payment/stripe/test";
        ok("create-secret", "--name", name, "--secret-string", "sk_test_fake_dev");
        ok("delete-secret", "--secret-id", name, "--recovery-window-in-days", "30");
        JsonNode forced = ok("delete-secret", "--secret-id", name, "--force-delete-without-recovery");
        assertThat(fieldNames(forced)).containsExactlyInAnyOrder("ARN", "Name", "DeletionDate");
        assertThat(forced.get("Name").asText()).isEqualTo(name);
        fails("ResourceNotFoundException", "DescribeSecret", NOT_FOUND, "describe-secret", "--secret-id", name);

        ok("create-secret", "--name", name, "--secret-string", "sk_test_fake_dev_2");
        assertThat(value(name)).isEqualTo("sk_test_fake_dev_2");
    }

    // ---- random passwords ----------------------------------------------------------------------

    @Test
    void getRandomPassword_honoursItsOptions() {
        String byDefault = password();
        assertThat(byDefault.length()).as("default length").isEqualTo(32);

        String lettersAndDigits = password("--password-length", "40", "--exclude-punctuation", "--require-each-included-type");
        assertThat(lettersAndDigits.length()).isEqualTo(40);
        assertThat(lettersAndDigits.chars().allMatch(Character::isLetterOrDigit)).as("only letters and digits").isTrue();
        assertThat(lettersAndDigits.chars().anyMatch(Character::isUpperCase)).as("has an upper-case letter").isTrue();
        assertThat(lettersAndDigits.chars().anyMatch(Character::isLowerCase)).as("has a lower-case letter").isTrue();
        assertThat(lettersAndDigits.chars().anyMatch(Character::isDigit)).as("has a digit").isTrue();

        String lowerOnly = password("--password-length", "20", "--exclude-numbers", "--exclude-punctuation",
                "--exclude-uppercase", "--exclude-characters", "aeiou");
        assertThat(lowerOnly.length()).isEqualTo(20);
        assertThat(lowerOnly.chars().allMatch(c -> c >= 'a' && c <= 'z' && "aeiou".indexOf(c) < 0))
                .as("only lower-case consonants").isTrue();

        // a space is allowed by --include-space, never required: with everything else excluded, only spaces remain
        String spaces = password("--password-length", "8", "--include-space", "--exclude-lowercase", "--exclude-uppercase",
                "--exclude-numbers", "--exclude-punctuation", "--no-require-each-included-type");
        assertThat(spaces).isEqualTo("        ");
        String printable = password("--password-length", "256", "--include-space");
        assertThat(printable.length()).isEqualTo(256);
        assertThat(printable.chars().allMatch(c -> c >= ' ' && c <= '~')).as("only printable ASCII").isTrue();
    }

    // ---- resource policies -------------------------------------------------------------------------

    @Test
    void resourcePolicy_putGetValidateDelete() throws IOException {
        String name = "prod/shared/datadog/api";
        String arn = ok("create-secret", "--name", name, "--secret-string", "dd-fake-api-key").get("ARN").asText();
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::" + server.accountId() + ":role/monitoring\"},\"Action\":\"secretsmanager:GetSecretValue\","
                + "\"Resource\":\"*\"}]}";
        String publicPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";

        JsonNode valid = ok("validate-resource-policy", "--secret-id", name, "--resource-policy", policy);
        assertThat(valid.get("PolicyValidationPassed").asBoolean()).isTrue();
        JsonNode open = ok("validate-resource-policy", "--resource-policy", publicPolicy);
        assertThat(open.get("PolicyValidationPassed").asBoolean()).isFalse();
        assertThat(open.get("ValidationErrors").size()).isPositive();

        Path policyFile = scratch.resolve("policy.json");
        Files.writeString(policyFile, policy);
        JsonNode put = ok("put-resource-policy", "--secret-id", name, "--resource-policy", "file://" + policyFile,
                "--block-public-policy");
        assertThat(fieldNames(put)).containsExactlyInAnyOrder("ARN", "Name");
        JsonNode got = ok("get-resource-policy", "--secret-id", name);
        assertThat(fieldNames(got)).containsExactlyInAnyOrder("ARN", "Name", "ResourcePolicy");
        assertThat(got.get("ARN").asText()).isEqualTo(arn);
        assertThat(got.get("ResourcePolicy").isTextual()).as("ResourcePolicy is a JSON string").isTrue();
        assertThat(parse(got.get("ResourcePolicy").asText())).isEqualTo(parse(policy));

        Run refused = aws(REGION, "put-resource-policy", "--secret-id", name, "--resource-policy", publicPolicy,
                "--block-public-policy");
        assertThat(SERVICE_ERROR_EXITS).as(refused.describe()).contains(refused.exit());
        assertThat(refused.stderr()).as(refused.describe())
                .contains("An error occurred (PublicPolicyException) when calling the PutResourcePolicy operation");

        JsonNode deleted = ok("delete-resource-policy", "--secret-id", name);
        assertThat(fieldNames(deleted)).containsExactlyInAnyOrder("ARN", "Name");
        assertThat(ok("get-resource-policy", "--secret-id", name).has("ResourcePolicy")).isFalse();
    }

    // ---- rotation ------------------------------------------------------------------------------------

    @Test
    void rotateSecret_withoutALambda_isRefusedAndLeavesTheSecretAlone() {
        String name = "prod/db/inventory/mysql";
        ok("create-secret", "--name", name, "--secret-string", "{\"password\":\"fake-inventory\"}");
        fails("InvalidRequestException", "RotateSecret", "No Lambda rotation function ARN is associated with this secret.",
                "rotate-secret", "--secret-id", name);
        JsonNode described = ok("describe-secret", "--secret-id", name);
        assertThat(fieldNames(described)).doesNotContain("RotationEnabled", "RotationLambdaARN", "RotationRules",
                "NextRotationDate", "LastRotatedDate");
    }

    @Test
    void rotateSecret_storesTheConfiguration_andCancelRotateSecretTurnsItOff() {
        String name = "prod/db/payments/postgres";
        ok("create-secret", "--name", name, "--secret-string", "{\"username\":\"payments\",\"password\":\"fake-pg\"}");
        String lambda = "arn:aws:lambda:us-east-1:" + server.accountId() + ":function:postgres-rotation";
        JsonNode rotated = ok("rotate-secret", "--secret-id", name, "--rotation-lambda-arn", lambda,
                "--rotation-rules", "{\"AutomaticallyAfterDays\":30}", "--no-rotate-immediately");
        assertThat(fieldNames(rotated)).contains("ARN", "Name");

        JsonNode described = ok("describe-secret", "--secret-id", name);
        assertThat(described.path("RotationEnabled").asBoolean(false)).as(described.toString()).isTrue();
        assertThat(described.path("RotationLambdaARN").asText()).isEqualTo(lambda);
        assertThat(described.path("RotationRules").path("AutomaticallyAfterDays").asLong()).isEqualTo(30);
        assertThat(described.has("NextRotationDate")).as(described.toString()).isTrue();
        assertClose(described.get("NextRotationDate"), Instant.now().plus(Duration.ofDays(30)));
        assertThat(value(name)).isEqualTo("{\"username\":\"payments\",\"password\":\"fake-pg\"}");

        JsonNode cancelled = ok("cancel-rotate-secret", "--secret-id", name);
        assertThat(fieldNames(cancelled)).contains("ARN", "Name");
        JsonNode after = ok("describe-secret", "--secret-id", name);
        assertThat(after.path("RotationEnabled").asBoolean(true)).as(after.toString()).isFalse();

        // the stored Lambda is used again: RotateSecret with only a schedule turns rotation back on
        ok("rotate-secret", "--secret-id", name, "--rotation-rules", "{\"ScheduleExpression\":\"rate(10 days)\"}",
                "--no-rotate-immediately");
        JsonNode again = ok("describe-secret", "--secret-id", name);
        assertThat(again.path("RotationEnabled").asBoolean(false)).isTrue();
        assertThat(again.path("RotationLambdaARN").asText()).isEqualTo(lambda);
        assertThat(again.path("RotationRules").path("ScheduleExpression").asText()).isEqualTo("rate(10 days)");
        assertClose(again.get("NextRotationDate"), Instant.now().plus(Duration.ofDays(10)));
    }

    /**
     * RotateSecret that asks for an immediate rotation (the default) with a rotator Coffer cannot
     * run answers as AWS does for a Lambda it cannot invoke: AccessDeniedException, nothing stored.
     */
    @Test
    void immediateRotationWithARotatorCofferCannotRun_isAccessDeniedAndStoresNothing() {
        String name = "prod/db/reporting/redshift";
        ok("create-secret", "--name", name, "--secret-string", "{\"password\":\"fake-redshift\"}");
        String lambda = "arn:aws:lambda:us-east-1:" + server.accountId() + ":function:no-such-rotator";
        fails("AccessDeniedException", "RotateSecret", "Secrets Manager cannot invoke the specified Lambda function. "
                        + "Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.",
                "rotate-secret", "--secret-id", name, "--rotation-lambda-arn", lambda,
                "--rotation-rules", "{\"AutomaticallyAfterDays\":7}");
        assertThat(fieldNames(ok("describe-secret", "--secret-id", name))).doesNotContain("RotationEnabled",
                "RotationLambdaARN", "RotationRules", "NextRotationDate");
    }

    // ---- replication ---------------------------------------------------------------------------------

    @Test
    void replica_readsThePrimaryValue_followsAPut_andGoesAwayWhenRemoved() {
        String name = "prod/payment/braintree/api";
        String arn = ok("create-secret", "--name", name, "--secret-string", "{\"privateKey\":\"fake-bt-1\"}")
                .get("ARN").asText();
        JsonNode replicated = ok("replicate-secret-to-regions", "--secret-id", name, "--add-replica-regions",
                "Region=" + REPLICA_REGION);
        assertThat(replicated.get("ARN").asText()).isEqualTo(arn);
        JsonNode status = replicated.get("ReplicationStatus").get(0);
        assertThat(status.get("Region").asText()).isEqualTo(REPLICA_REGION);
        assertThat(status.get("Status").asText()).isEqualTo("InSync");

        JsonNode replicaValue = okIn(REPLICA_REGION, "get-secret-value", "--secret-id", name);
        assertThat(replicaValue.get("SecretString").asText()).isEqualTo("{\"privateKey\":\"fake-bt-1\"}");
        String replicaArn = replicaValue.get("ARN").asText();
        assertThat(replicaArn).isEqualTo(arn.replace(":" + REGION + ":", ":" + REPLICA_REGION + ":"));
        assertThat(okIn(REPLICA_REGION, "describe-secret", "--secret-id", name).path("PrimaryRegion").asText())
                .isEqualTo(REGION);
        assertThat(ok("describe-secret", "--secret-id", name).path("ReplicationStatus").get(0).path("Region").asText())
                .isEqualTo(REPLICA_REGION);

        String v2 = ok("put-secret-value", "--secret-id", name, "--secret-string", "{\"privateKey\":\"fake-bt-2\"}")
                .get("VersionId").asText();
        JsonNode followed = okIn(REPLICA_REGION, "get-secret-value", "--secret-id", replicaArn);
        assertThat(followed.get("SecretString").asText()).isEqualTo("{\"privateKey\":\"fake-bt-2\"}");
        assertThat(followed.get("VersionId").asText()).isEqualTo(v2);

        Run onReplica = aws(REPLICA_REGION, "put-secret-value", "--secret-id", name, "--secret-string", "fake-bt-local");
        assertThat(SERVICE_ERROR_EXITS).as(onReplica.describe()).contains(onReplica.exit());
        assertThat(onReplica.stderr()).as(onReplica.describe())
                .contains("An error occurred (InvalidRequestException) when calling the PutSecretValue operation");

        JsonNode removed = ok("remove-regions-from-replication", "--secret-id", name, "--remove-replica-regions",
                REPLICA_REGION);
        assertThat(removed.get("ARN").asText()).isEqualTo(arn);
        assertThat(removed.path("ReplicationStatus").size()).isZero();
        failsIn(REPLICA_REGION, "ResourceNotFoundException", "GetSecretValue", NOT_FOUND,
                "get-secret-value", "--secret-id", name);
        assertThat(value(name)).isEqualTo("{\"privateKey\":\"fake-bt-2\"}");
    }

    // ---- errors --------------------------------------------------------------------------------------

    @Test
    void unknownSecret_isResourceNotFound() {
        String missing = "prod/does/not/exist";
        fails("ResourceNotFoundException", "GetSecretValue", NOT_FOUND, "get-secret-value", "--secret-id", missing);
        fails("ResourceNotFoundException", "ListSecretVersionIds", NOT_FOUND, "list-secret-version-ids", "--secret-id", missing);
        fails("ResourceNotFoundException", "DescribeSecret", NOT_FOUND, "describe-secret", "--secret-id", missing);
        fails("ResourceNotFoundException", "GetSecretValue", NOT_FOUND, "get-secret-value", "--secret-id",
                "arn:aws:secretsmanager:" + REGION + ":" + server.accountId() + ":secret:" + missing + "-AbC123");
    }

    @Test
    void invalidName_isAValidationExceptionOnEveryOperation() {
        String existing = "prod/valid/name";
        ok("create-secret", "--name", existing, "--secret-string", "fake-valid");
        fails("ValidationException", "CreateSecret", INVALID_NAME, "create-secret", "--name", "prod/bad name",
                "--secret-string", "fake");
        fails("ValidationException", "CreateSecret", INVALID_NAME, "create-secret", "--name", "prod/bad*name");
        fails("ValidationException", "GetSecretValue", INVALID_NAME, "get-secret-value", "--secret-id", "prod/bad?name");
        fails("ValidationException", "DescribeSecret", INVALID_NAME, "describe-secret", "--secret-id", "prod/bad]name");
        fails("ValidationException", "DeleteSecret", INVALID_NAME, "delete-secret", "--secret-id", "prod\\bad");
        fails("ValidationException", "PutSecretValue", INVALID_NAME, "put-secret-value", "--secret-id", "prod/bad name",
                "--secret-string", "fake");
        fails("ValidationException", "UpdateSecret", INVALID_NAME, "update-secret", "--secret-id", "prod/bad name",
                "--description", "d");
        fails("ValidationException", "ListSecretVersionIds", INVALID_NAME, "list-secret-version-ids", "--secret-id",
                "prod/bad name");
        fails("ValidationException", "TagResource", INVALID_NAME, "tag-resource", "--secret-id", "prod/bad name",
                "--tags", "Key=a,Value=b");
        fails("ValidationException", "UntagResource", INVALID_NAME, "untag-resource", "--secret-id", "prod/bad name",
                "--tag-keys", "a");
        fails("ValidationException", "ValidateResourcePolicy", INVALID_NAME, "validate-resource-policy", "--secret-id",
                "prod/bad name", "--resource-policy", "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
    }

    @Test
    void getSecretValue_unknownVersionIdOrStage_orAStageTheVersionDoesNotCarry() {
        String name = "prod/cache/redis/auth";
        String v1 = ok("create-secret", "--name", name, "--secret-string", "fake-redis-auth").get("VersionId").asText();
        String unknown = UUID.randomUUID().toString();
        fails("ResourceNotFoundException", "GetSecretValue",
                "Secrets Manager can't find the specified secret value for VersionId: " + unknown,
                "get-secret-value", "--secret-id", name, "--version-id", unknown);
        fails("ResourceNotFoundException", "GetSecretValue",
                "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
                "get-secret-value", "--secret-id", name, "--version-stage", "AWSPREVIOUS");
        fails("ResourceNotFoundException", "GetSecretValue",
                "Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
                "get-secret-value", "--secret-id", name, "--version-stage", "AWSPENDING");
        fails("InvalidRequestException", "GetSecretValue",
                "You provided a VersionStage that is not associated to the provided VersionId.",
                "get-secret-value", "--secret-id", name, "--version-id", v1, "--version-stage", "AWSPENDING");
    }

    @Test
    void createSecret_withAnExistingName_isResourceExists() {
        String name = "prod/payment/paypal/api";
        ok("create-secret", "--name", name, "--secret-string", "{\"clientSecret\":\"fake-paypal\"}");
        fails("ResourceExistsException", "CreateSecret",
                "The operation failed because the secret " + name + " already exists.",
                "create-secret", "--name", name, "--secret-string", "{\"clientSecret\":\"fake-paypal-2\"}");
        assertThat(value(name)).isEqualTo("{\"clientSecret\":\"fake-paypal\"}");
    }

    // ---- running the CLI ------------------------------------------------------------------------------

    private static Run aws(String region, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "secretsmanager";
        System.arraycopy(args, 0, command, 1, args.length);
        return cli.runIn(region, null, command);
    }

    /** Runs a call in us-east-1 that must succeed, and parses its JSON output. */
    private static JsonNode ok(String... args) {
        return okIn(REGION, args);
    }

    private static JsonNode okIn(String region, String... args) {
        return AwsCli.ok(aws(region, args));
    }

    private static void fails(String code, String operation, String message, String... args) {
        failsIn(REGION, code, operation, message, args);
    }

    /** A call that must fail the way the CLI reports a service error, with AWS's code and message. */
    private static void failsIn(String region, String code, String operation, String message, String... args) {
        Run run = aws(region, args);
        AwsCli.failedWith(run, code, operation, message);
        assertThat(run.stdout()).as(run.describe()).isBlank();
    }

    // ---- small helpers ------------------------------------------------------------------------------
    private static String value(String secretId) {
        return ok("get-secret-value", "--secret-id", secretId).get("SecretString").asText();
    }

    private static String password(String... options) {
        List<String> args = new ArrayList<>(List.of("get-random-password"));
        args.addAll(List.of(options));
        JsonNode result = ok(args.toArray(String[]::new));
        assertThat(fieldNames(result)).containsExactly("RandomPassword");
        return result.get("RandomPassword").asText();
    }

    private static List<String> listNames(String... options) {
        List<String> args = new ArrayList<>(List.of("list-secrets"));
        args.addAll(List.of(options));
        JsonNode result = ok(args.toArray(String[]::new));
        assertThat(result.has("NextToken")).as("automatic pagination leaves no NextToken: %s", result).isFalse();
        List<String> names = new ArrayList<>();
        result.get("SecretList").forEach(e -> names.add(e.get("Name").asText()));
        return names;
    }

    /** {@code --filters} as JSON: key, value, key, value, ... (one value per filter). */
    private static String filters(String... keyValues) {
        var array = JSON.createArrayNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            var filter = array.addObject();
            filter.put("Key", keyValues[i]);
            filter.putArray("Values").add(keyValues[i + 1]);
        }
        return array.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, List<String>> stageMap(JsonNode object) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (object == null) return out;
        for (Map.Entry<String, JsonNode> e : object.properties()) out.put(e.getKey(), texts(e.getValue()));
        return out;
    }

    private static List<Map.Entry<String, String>> tags(JsonNode described) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        described.path("Tags").forEach(t -> out.add(Map.entry(t.get("Key").asText(), t.get("Value").asText())));
        return out;
    }

    private static List<String> versionIds(JsonNode listed) {
        List<String> out = new ArrayList<>();
        listed.get("Versions").forEach(v -> out.add(v.get("VersionId").asText()));
        return out;
    }

    /** Datetimes are epoch seconds (the CLI prints them as it got them, with no config file). */
    private static void assertRecent(JsonNode date) {
        assertClose(date, Instant.now());
    }

    private static void assertClose(JsonNode date, Instant expected) {
        assertThat(date).as("a datetime").isNotNull();
        assertThat(date.isNumber()).as("datetime as epoch seconds: %s", date).isTrue();
        double seconds = date.asDouble();
        assertThat(Math.abs(seconds - expected.getEpochSecond())).as("%s is close to %s", date, expected)
                .isLessThan(300.0);
    }
}
