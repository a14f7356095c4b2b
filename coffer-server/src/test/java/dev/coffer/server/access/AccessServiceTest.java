package dev.coffer.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.api.Operation;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.identities.IdentityDirectory;
import dev.coffer.server.protocol.JsonProtocol;
import dev.coffer.server.protocol.ServiceModel;
import dev.coffer.server.secrets.SecretsManagerService.SecretEntry;
import dev.coffer.server.testkit.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The access service as the wire sees it (model, routing, validation, errors) and the lint rules'
 * reading of policies and secrets; none of this needs the policy evaluator.
 */
class AccessServiceTest {
    private static AccessFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new AccessFixture();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void theModelNamesTheServiceAndItsFourOperations() {
        ServiceModel model = ServiceModel.load(AccessService.MODEL);
        assertThat(model.signingName()).isEqualTo("coffer");
        assertThat(model.targetPrefix()).isEqualTo("CofferAccess_20261201");
        assertThat(model.protocol()).isEqualTo("json");
        assertThat(model.operations()).containsExactly("WhoCan", "WhatCan", "LintAccess", "HygieneReport");
    }

    @Test
    void requestsDecodeIntoTheRecordsAndAnswersUseTheModelsMemberNames() throws Exception {
        JsonProtocol json = new JsonProtocol().withModel(AccessService.TARGET_PREFIX, ServiceModel.load(AccessService.MODEL));
        Map<String, Operation<?, ?>> ops = new AccessService(null, null, null, r -> true).operations().stream()
                .collect(Collectors.toMap(Operation::name, o -> o));
        assertThat(ops.keySet()).containsExactlyInAnyOrder("WhoCan", "WhatCan", "LintAccess", "HygieneReport");
        assertThat(ops.values()).allMatch(o -> o.service().equals("coffer") && o.readOnly());
        assertThat(ops.get("WhoCan").action()).isEqualTo("coffer:WhoCan");

        assertThat(json.decode(AccessService.TARGET_PREFIX, ops.get("WhoCan"),
                "{\"SecretId\":\"prod/db\",\"Action\":\"secretsmanager:DescribeSecret\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new AccessMessages.WhoCanRequest("prod/db", "secretsmanager:DescribeSecret"));
        assertThat(json.decode(AccessService.TARGET_PREFIX, ops.get("LintAccess"), new byte[0]))
                .isEqualTo(new AccessMessages.LintAccessRequest());

        var statement = new AccessMessages.DecidingStatement("arn:aws:iam::111122223333:user/alice#inline/Read", "Read", 0, true);
        var answer = new AccessMessages.WhoCanResponse("arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf",
                "prod/db", "secretsmanager:GetSecretValue", List.of(new AccessMessages.PrincipalAccess("111122223333",
                "arn:aws:iam::111122223333:user/alice", "alice", "User", List.of("devs"), true, List.of(statement))));
        JsonNode wire = AccessFixture.JSON.readTree(json.encodeResult(answer).body());
        assertThat(wire.path("SecretARN").asText()).endsWith("prod/db-AbCdEf");
        JsonNode principal = wire.path("Principals").get(0);
        assertThat(principal.path("PrincipalType").asText()).isEqualTo("User");
        assertThat(principal.path("ViaGroups").get(0).asText()).isEqualTo("devs");
        assertThat(principal.path("Conditional").asBoolean()).isTrue();
        assertThat(principal.path("DecidingStatements").get(0).path("HasConditions").asBoolean()).isTrue();
        assertThat(principal.path("DecidingStatements").get(0).path("StatementIndex").asInt()).isZero();
    }

    @Test
    void whoCanOnASecretThatDoesNotExistIsResourceNotFound() {
        RawClient.Response r = fixture.call("WhoCan", "{\"SecretId\":\"no/such/secret\"}");
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.errorType()).isEqualTo("ResourceNotFoundException");
        assertThat(r.message()).isEqualTo("Secrets Manager can't find the specified secret.");
    }

    @Test
    void requestsAreCheckedAgainstTheModel() {
        RawClient.Response missing = fixture.call("WhoCan", "{}");
        assertThat(missing.errorType()).as("%s", missing).isEqualTo("ValidationException");
        assertThat(missing.message()).contains("'secretId'").contains("must not be null");

        RawClient.Response badAction = fixture.call("WhoCan", "{\"SecretId\":\"x\",\"Action\":\"GetSecretValue\"}");
        assertThat(badAction.errorType()).as("%s", badAction).isEqualTo("ValidationException");
        assertThat(badAction.message()).contains("'action'");

        RawClient.Response wrongType = fixture.call("WhatCan", "{\"PrincipalArn\":42}");
        assertThat(wrongType.errorType()).as("%s", wrongType).isEqualTo("SerializationException");
    }

    @Test
    void theServiceIsSignedForCofferNotSecretsManager() {
        RawClient.Response r = RawClient.of(fixture.server).request(null)
                .target(AccessService.TARGET_PREFIX + ".LintAccess").service("secretsmanager").body("{}").send();
        assertThat(r.errorType()).as("%s", r).isEqualTo("InvalidSignatureException");
        assertThat(r.message()).contains("'coffer'");

        RawClient.Response unknown = fixture.call("NoSuchAnalysis", "{}");
        assertThat(unknown.errorType()).as("%s", unknown).isEqualTo("UnknownOperationException");
    }

    @Test
    void wildcardGrantsAreTheBroadActionsOnEveryResource() throws Exception {
        assertThat(wildcard("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}")).isEqualTo("*");
        assertThat(wildcard("{\"Effect\":\"Allow\",\"Action\":[\"kms:Decrypt\",\"secretsmanager:*\"],\"Resource\":[\"*\"]}"))
                .isEqualTo("secretsmanager:*");
        assertThat(wildcard("{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:Get*\",\"Resource\":\"*\"}"))
                .isEqualTo("secretsmanager:Get*");
        assertThat(wildcard("{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:*\",\"Resource\":\"arn:aws:secretsmanager:*:*:secret:dev/*\"}"))
                .isNull();
        assertThat(wildcard("{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}")).isNull();
        assertThat(wildcard("{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}")).isNull();
    }

    @Test
    void statementsWithConditionsAreFoundByTheirIndex() {
        String policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}]}";
        assertThat(PolicyStatements.hasConditions(policy, 0)).isFalse();
        assertThat(PolicyStatements.hasConditions(policy, 1)).isTrue();
        assertThat(PolicyStatements.hasConditions(policy, 2)).isFalse();
        assertThat(PolicyStatements.hasConditions("{\"Statement\":{\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}}", 0))
                .isTrue();
        assertThat(PolicyStatements.hasConditions("not json", 0)).isFalse();
    }

    @Test
    void aSecretsEnvironmentComesFromItsTagElseItsNamesFirstSegment() {
        assertThat(AccessAnalysis.environment(secret("prod/db", Map.of()))).contains("prod");
        assertThat(AccessAnalysis.environment(secret("staging/api/key", Map.of()))).contains("staging");
        assertThat(AccessAnalysis.environment(secret("prod/db", Map.of("environment", "Dev")))).contains("dev");
        assertThat(AccessAnalysis.environment(secret("db", Map.of("env", "qa")))).contains("qa");
        assertThat(AccessAnalysis.environment(secret("payments/api-key", Map.of()))).isEmpty();
        assertThat(AccessAnalysis.environment(secret("db", Map.of()))).isEmpty();
    }

    @Test
    void aGrantThroughAGroupsPolicyNamesTheGroup() {
        var bob = new IdentityDirectory.PrincipalEntry("111122223333", "arn:aws:iam::111122223333:user/bob", "bob", "user",
                List.of("devs", "ops"));
        var byGroup = new AccessAnalysis.DecidingStatement("arn:aws:iam::111122223333:group/eng/devs#inline/DevRead", "R", 0, false);
        var byUser = new AccessAnalysis.DecidingStatement("arn:aws:iam::111122223333:user/bob#inline/Own", null, 1, false);
        var managed = new AccessAnalysis.DecidingStatement("arn:aws:iam::111122223333:policy/ops", null, 0, false);
        assertThat(AccessAnalysis.viaGroups(bob, List.of(byGroup, byUser, managed))).containsExactly("devs");
        assertThat(AccessAnalysis.viaGroups(bob, List.of(byUser))).isEmpty();
        var role = new IdentityDirectory.PrincipalEntry("111122223333", "arn:aws:iam::111122223333:role/devs", "devs", "role",
                List.of());
        assertThat(AccessAnalysis.viaGroups(role, List.of(byGroup))).isEmpty();
    }

    @Test
    void aRoleIsAskedAsASessionOfItselfWithNoSessionPolicy() {
        var ci = new IdentityDirectory.PrincipalEntry("111122223333", "arn:aws:iam::111122223333:role/deploy/ci", "ci", "role",
                List.of());
        Principal session = AccessAnalysis.asPrincipal(ci, java.time.Instant.parse("2026-12-01T12:00:00Z"));
        assertThat(session.kind()).isEqualTo(Principal.Kind.ASSUMED_ROLE);
        assertThat(session.arn()).isEqualTo("arn:aws:sts::111122223333:assumed-role/ci/coffer-access-analysis");
        assertThat(session.session().issuerArn()).isEqualTo("arn:aws:iam::111122223333:role/deploy/ci");
        assertThat(session.session().hasSessionPolicies()).isFalse();
        var alice = new IdentityDirectory.PrincipalEntry("111122223333", "arn:aws:iam::111122223333:user/alice", "alice", "user",
                List.of());
        Principal user = AccessAnalysis.asPrincipal(alice, java.time.Instant.parse("2026-12-01T12:00:00Z"));
        assertThat(user.kind()).isEqualTo(Principal.Kind.USER);
        assertThat(user.arn()).isEqualTo(alice.arn());
        assertThat(user.temporary()).isFalse();
    }

    private static String wildcard(String statement) throws Exception {
        JsonNode node = AccessFixture.JSON.readTree(statement);
        return PolicyStatements.wildcardGrant(node);
    }

    private static SecretEntry secret(String name, Map<String, String> tags) {
        return new SecretEntry("111122223333", "us-east-1", "arn:aws:secretsmanager:us-east-1:111122223333:secret:" + name + "-AbCdEf",
                name, tags);
    }
}
