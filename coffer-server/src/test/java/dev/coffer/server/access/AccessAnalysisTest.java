package dev.coffer.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.testkit.RawClient;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Who-can, what-can and lint on a real server and store, with users, a group, a role and a
 * resource policy made through the IAM and Secrets Manager APIs, asked through the access service.
 *
 * <p>Needs the IAM API, the identity directory and the policy evaluator (IAM branches): until
 * those are merged these tests fail at set-up.
 */
class AccessAnalysisTest {
    private static final String GET = "secretsmanager:GetSecretValue";
    private static AccessFixture f;
    private static String prodDb;
    private static String devApi;
    private static String stagingCache;
    private static String sharedConfig;

    @BeforeAll
    static void setUp() {
        f = new AccessFixture();
        String arnPrefix = "arn:aws:secretsmanager:us-east-1:" + f.account + ":secret:";
        prodDb = f.createSecret("prod/db");
        devApi = f.createSecret("dev/api");
        stagingCache = f.createSecret("staging-cache", Tag.builder().key("environment").value("staging").build());
        sharedConfig = f.createSecret("shared/config", Tag.builder().key("env").value("prod").build());

        f.iam.createUser(b -> b.userName("alice"));
        f.iam.putUserPolicy(b -> b.userName("alice").policyName("ReadProd").policyDocument(policy(
                "{\"Sid\":\"ReadProd\",\"Effect\":\"Allow\",\"Action\":\"" + GET + "\",\"Resource\":\"" + arnPrefix + "prod/*\"}")));

        f.iam.createGroup(b -> b.groupName("devs"));
        f.iam.putGroupPolicy(b -> b.groupName("devs").policyName("DevRead").policyDocument(policy(
                "{\"Sid\":\"DevRead\",\"Effect\":\"Allow\",\"Action\":\"" + GET + "\",\"Resource\":\"" + arnPrefix + "dev/*\"}")));
        f.iam.createUser(b -> b.userName("bob"));
        f.iam.addUserToGroup(b -> b.groupName("devs").userName("bob"));

        f.iam.createUser(b -> b.userName("carol"));
        f.iam.putUserPolicy(b -> b.userName("carol").policyName("AllButProd").policyDocument(policy(
                "{\"Sid\":\"All\",\"Effect\":\"Allow\",\"Action\":\"secretsmanager:*\",\"Resource\":\"*\"}",
                "{\"Sid\":\"NoProd\",\"Effect\":\"Deny\",\"Action\":\"" + GET + "\",\"Resource\":\"" + arnPrefix + "prod/*\"}")));

        f.iam.createRole(b -> b.roleName("ci").assumeRolePolicyDocument(f.trustAccount()));
        f.iam.putRolePolicy(b -> b.roleName("ci").policyName("CiRead").policyDocument(policy(
                "{\"Sid\":\"CiRead\",\"Effect\":\"Allow\",\"Action\":\"" + GET + "\",\"Resource\":\"*\","
                        + "\"Condition\":{\"StringEquals\":{\"secretsmanager:ResourceTag/environment\":\"staging\"}}}")));

        f.iam.createUser(b -> b.userName("dave"));
        f.secrets.putResourcePolicy(b -> b.secretId(devApi).resourcePolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{"
                + "\"Sid\":\"DaveViaResource\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + f.userArn("dave") + "\"},"
                + "\"Action\":\"" + GET + "\",\"Resource\":\"*\"}]}"));
    }

    @AfterAll
    static void tearDown() {
        if (f != null) f.close();
    }

    private static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private static Optional<JsonNode> principal(JsonNode whoCan, String arn) {
        return StreamSupport.stream(whoCan.path("Principals").spliterator(), false)
                .filter(p -> p.path("PrincipalArn").asText().equals(arn)).findFirst();
    }

    private static List<String> texts(JsonNode list, String field) {
        return StreamSupport.stream(list.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    @Test
    void whoCanNamesTheAllowedUsersAndTheStatementThatAllowsThem() {
        JsonNode answer = f.whoCan("prod/db", GET);
        assertThat(answer.path("SecretARN").asText()).isEqualTo(prodDb);
        JsonNode alice = principal(answer, f.userArn("alice")).orElseThrow();
        assertThat(alice.path("PrincipalType").asText()).isEqualTo("User");
        assertThat(alice.path("Conditional").asBoolean()).isFalse();
        assertThat(texts(alice.path("DecidingStatements"), "Sid")).containsExactly("ReadProd");
        assertThat(texts(alice.path("DecidingStatements"), "PolicySource")).allMatch(s -> s.contains("alice"));
        assertThat(principal(answer, f.userArn("bob"))).as("bob's group reads dev only").isEmpty();
        assertThat(principal(answer, f.userArn("carol"))).as("carol's explicit deny wins").isEmpty();
        assertThat(principal(answer, f.userArn("dave"))).isEmpty();
    }

    @Test
    void groupMembersAreReportedWithTheGroupAndResourcePolicyGrantsWithTheirStatement() {
        JsonNode answer = f.whoCan("dev/api", GET);
        JsonNode bob = principal(answer, f.userArn("bob")).orElseThrow();
        assertThat(StreamSupport.stream(bob.path("ViaGroups").spliterator(), false).map(JsonNode::asText)).containsExactly("devs");
        assertThat(texts(bob.path("DecidingStatements"), "Sid")).containsExactly("DevRead");

        JsonNode dave = principal(answer, f.userArn("dave")).orElseThrow();
        assertThat(texts(dave.path("DecidingStatements"), "PolicySource")).containsExactly(devApi + "#resource-policy");
        assertThat(texts(dave.path("DecidingStatements"), "Sid")).containsExactly("DaveViaResource");
        assertThat(principal(answer, f.userArn("carol"))).isPresent();
    }

    @Test
    void rolesAreAskedAsASessionAndConditionsMakeAGrantConditional() {
        JsonNode answer = f.whoCan("staging-cache", GET);
        JsonNode ci = principal(answer, f.roleArn("ci")).orElseThrow();
        assertThat(ci.path("PrincipalType").asText()).isEqualTo("Role");
        assertThat(ci.path("Conditional").asBoolean()).isTrue();
        assertThat(ci.path("DecidingStatements").get(0).path("HasConditions").asBoolean()).isTrue();
        assertThat(principal(f.whoCan("prod/db", GET), f.roleArn("ci"))).isEmpty();
    }

    @Test
    void whoCanTakesAnyAction() {
        JsonNode answer = f.whoCan("prod/db", "secretsmanager:DeleteSecret");
        assertThat(principal(answer, f.userArn("carol"))).isPresent();
        assertThat(principal(answer, f.userArn("alice"))).isEmpty();
    }

    @Test
    void whatCanListsExactlyTheSecretsWhoCanWouldNameThePrincipalFor() {
        assertThat(texts(f.whatCan(f.userArn("alice"), GET).path("Secrets"), "SecretARN")).containsExactly(prodDb);
        assertThat(texts(f.whatCan(f.userArn("bob"), GET).path("Secrets"), "SecretARN")).containsExactly(devApi);
        assertThat(texts(f.whatCan(f.userArn("dave"), GET).path("Secrets"), "SecretARN")).containsExactly(devApi);
        assertThat(texts(f.whatCan(f.userArn("carol"), GET).path("Secrets"), "SecretARN"))
                .containsExactlyInAnyOrder(devApi, stagingCache, sharedConfig);
        JsonNode ci = f.whatCan(f.roleArn("ci"), GET);
        assertThat(texts(ci.path("Secrets"), "SecretARN")).containsExactly(stagingCache);
        assertThat(ci.path("Secrets").get(0).path("Conditional").asBoolean()).isTrue();
        String session = "arn:aws:sts::" + f.account + ":assumed-role/ci/anything";
        assertThat(texts(f.whatCan(session, GET).path("Secrets"), "SecretARN")).containsExactly(stagingCache);
    }

    @Test
    void whatCanOnAnUnknownPrincipalIsResourceNotFound() {
        RawClient.Response r = f.call("WhatCan", "{\"PrincipalArn\":\"" + f.userArn("nobody") + "\"}");
        assertThat(r.errorType()).as("%s", r).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void lintFindsWildcardGrantsMultiEnvironmentReadersAndRunsEveryRule() {
        JsonNode report = f.ok("LintAccess", "{}");
        List<JsonNode> findings = StreamSupport.stream(report.path("Findings").spliterator(), false).toList();

        JsonNode wildcard = findings.stream().filter(x -> x.path("RuleId").asText().equals(AccessAnalysis.RULE_WILDCARD))
                .filter(x -> x.path("Principals").toString().contains(f.userArn("carol"))).findFirst().orElseThrow();
        assertThat(wildcard.path("Severity").asText()).isEqualTo("ERROR");
        assertThat(wildcard.path("Message").asText()).contains("secretsmanager:*");

        JsonNode multi = findings.stream().filter(x -> x.path("RuleId").asText().equals(AccessAnalysis.RULE_MULTI_ENVIRONMENT))
                .filter(x -> x.path("Subject").asText().equals(f.userArn("carol"))).findFirst().orElseThrow();
        assertThat(multi.path("Severity").asText()).isEqualTo("WARNING");
        assertThat(multi.path("Message").asText()).contains("dev", "prod", "staging");
        assertThat(findings).filteredOn(x -> !x.path("RuleId").asText().equals(AccessAnalysis.RULE_STALE_KEY))
                .noneMatch(x -> x.path("Subject").asText().equals(f.userArn("alice")));

        // The inventory rules run on the store's IAM data (keys and managed policies), so none is skipped.
        assertThat(texts(report.path("RulesNotRun"), "RuleId")).isEmpty();
        // Most severe first.
        assertThat(texts(report.path("Findings"), "Severity")).isSortedAccordingTo((a, b) ->
                AccessAnalysis.Severity.valueOf(b).compareTo(AccessAnalysis.Severity.valueOf(a)));
    }
}
