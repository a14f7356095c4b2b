package dev.coffer.server.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.testkit.AwsCli;
import dev.coffer.server.testkit.Clients;
import dev.coffer.server.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.SimulatePrincipalPolicyResponse;
import software.amazon.awssdk.services.iam.model.Statement;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * SimulatePrincipalPolicy and SimulateCustomPolicy through the SDK and the AWS CLI against a real
 * server: the decision, the statements that made it and the missing context keys, for users,
 * groups, roles and policies given inline — and the simulator's answer is what a real
 * GetSecretValue made as that user gets.
 */
class PolicySimulatorTest {
    static final String GET = "secretsmanager:GetSecretValue";
    static TestServer server;
    static String account;
    static IamClient iam;
    static SecretsManagerClient admin;
    static String secretArn;
    static String otherArn;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        account = server.accountId();
        iam = Clients.iam(server, Clients.of(server.adminCredentials()));
        admin = Clients.secretsManager(server, Clients.of(server.adminCredentials()));
        secretArn = admin.createSecret(r -> r.name("sim/payments").secretString("not-shown")).arn();
        otherArn = admin.createSecret(r -> r.name("sim/other").secretString("not-shown")).arn();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String userArn(String name) {
        return "arn:aws:iam::" + account + ":user/" + name;
    }

    static SecretsManagerClient userWith(String name, String policy) {
        return Clients.newUser(server, iam, name, policy);
    }

    static EvaluationResult simulate(String sourceArn, String action, String resource) {
        return iam.simulatePrincipalPolicy(r -> r.policySourceArn(sourceArn).actionNames(action).resourceArns(resource))
                .evaluationResults().get(0);
    }

    static ContextEntry entry(String key, ContextKeyTypeEnum type, String value) {
        return ContextEntry.builder().contextKeyName(key).contextKeyType(type).contextKeyValues(value).build();
    }

    static String policy(String statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
    }

    @Test
    void allowedImplicitAndExplicitDeny_withTheMatchedStatements() {
        userWith("sim-three", policy("""
                {"Sid":"ReadAll","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"},
                {"Sid":"NotOther","Effect":"Deny","Action":"secretsmanager:GetSecretValue","Resource":"%s"}""".formatted(otherArn)));
        EvaluationResult allowed = simulate(userArn("sim-three"), GET, secretArn);
        assertThat(allowed.evalActionName()).isEqualTo(GET);
        assertThat(allowed.evalResourceName()).isEqualTo(secretArn);
        assertThat(allowed.evalDecisionAsString()).isEqualTo("allowed");
        assertThat(allowed.matchedStatements()).extracting(Statement::sourcePolicyId, Statement::sourcePolicyTypeAsString)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p", "user"));

        EvaluationResult denied = simulate(userArn("sim-three"), GET, otherArn);
        assertThat(denied.evalDecisionAsString()).isEqualTo("explicitDeny");
        assertThat(denied.matchedStatements()).extracting(Statement::sourcePolicyId).containsExactly("p");

        EvaluationResult implicit = simulate(userArn("sim-three"), "secretsmanager:DeleteSecret", secretArn);
        assertThat(implicit.evalDecisionAsString()).isEqualTo("implicitDeny");
        assertThat(implicit.matchedStatements()).isEmpty();
    }

    @Test
    void aGroupsPolicies_andAUserInheritsThem() {
        iam.createGroup(r -> r.groupName("sim-readers"));
        iam.putGroupPolicy(r -> r.groupName("sim-readers").policyName("read").policyDocument(policy("""
                {"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}""")));
        iam.attachGroupPolicy(r -> r.groupName("sim-readers").policyArn("arn:aws:iam::aws:policy/SecretsManagerReadWrite"));
        iam.createUser(r -> r.userName("sim-member"));
        iam.addUserToGroup(r -> r.groupName("sim-readers").userName("sim-member"));

        String group = "arn:aws:iam::" + account + ":group/sim-readers";
        EvaluationResult get = simulate(group, GET, secretArn);
        assertThat(get.evalDecisionAsString()).isEqualTo("allowed");
        assertThat(get.matchedStatements()).extracting(Statement::sourcePolicyId, Statement::sourcePolicyTypeAsString)
                .contains(org.assertj.core.groups.Tuple.tuple("read", "group"),
                        org.assertj.core.groups.Tuple.tuple("SecretsManagerReadWrite", "aws-managed"));
        assertThat(simulate(userArn("sim-member"), GET, secretArn).evalDecisionAsString()).isEqualTo("allowed");
        assertThat(simulate(group, "iam:CreateUser", "*").evalDecisionAsString()).isEqualTo("implicitDeny");
    }

    @Test
    void aRole_asASessionOfIt_withinItsBoundary() {
        iam.createRole(r -> r.roleName("sim-role").assumeRolePolicyDocument(policy("""
                {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}""".formatted(account))));
        iam.putRolePolicy(r -> r.roleName("sim-role").policyName("role-read").policyDocument(policy("""
                {"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}""")));
        String role = "arn:aws:iam::" + account + ":role/sim-role";
        EvaluationResult r1 = simulate(role, GET, secretArn);
        assertThat(r1.evalDecisionAsString()).isEqualTo("allowed");
        assertThat(r1.matchedStatements()).extracting(Statement::sourcePolicyId, Statement::sourcePolicyTypeAsString)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("role-read", "role"));

        // A boundary given inline limits it; the answer says the boundary refused.
        EvaluationResult bounded = iam.simulatePrincipalPolicy(r -> r.policySourceArn(role).actionNames("secretsmanager:DeleteSecret")
                .resourceArns(secretArn).permissionsBoundaryPolicyInputList(policy("""
                        {"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}"""))).evaluationResults().get(0);
        assertThat(bounded.evalDecisionAsString()).isEqualTo("implicitDeny");
        assertThat(bounded.permissionsBoundaryDecisionDetail().allowedByPermissionsBoundary()).isFalse();
    }

    @Test
    void aConditionKeyMissingFromTheContext_isReported_andSatisfiedWhenGiven() {
        iam.createUser(r -> r.userName("sim-cond"));
        iam.putUserPolicy(r -> r.userName("sim-cond").policyName("from-office").policyDocument(policy("""
                {"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*",
                 "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}}""")));
        EvaluationResult without = simulate(userArn("sim-cond"), GET, secretArn);
        assertThat(without.evalDecisionAsString()).isEqualTo("implicitDeny");
        // With a resource named, AWS lists the missing keys per resource; with "*", on the result itself.
        assertThat(without.missingContextValues()).isEmpty();
        assertThat(without.resourceSpecificResults()).singleElement().satisfies(r -> {
            assertThat(r.evalResourceName()).isEqualTo(secretArn);
            assertThat(r.evalResourceDecisionAsString()).isEqualTo("implicitDeny");
            assertThat(r.missingContextValues()).containsExactlyInAnyOrder("aws:SourceIp", "secretsmanager:VersionStage");
        });
        assertThat(without.hasEvalDecisionDetails()).isTrue();
        assertThat(without.evalDecisionDetails()).isEmpty();
        EvaluationResult anywhere = simulate(userArn("sim-cond"), GET, "*");
        assertThat(anywhere.missingContextValues()).containsExactlyInAnyOrder("aws:SourceIp", "secretsmanager:VersionStage");
        assertThat(anywhere.hasResourceSpecificResults()).isFalse();
        assertThat(anywhere.hasEvalDecisionDetails()).isFalse();

        EvaluationResult with = iam.simulatePrincipalPolicy(r -> r.policySourceArn(userArn("sim-cond")).actionNames(GET)
                .resourceArns(secretArn).contextEntries(
                        entry("aws:SourceIp", ContextKeyTypeEnum.IP, "10.1.2.3"),
                        entry("secretsmanager:VersionStage", ContextKeyTypeEnum.STRING, "AWSCURRENT"))).evaluationResults().get(0);
        assertThat(with.evalDecisionAsString()).isEqualTo("allowed");
        assertThat(with.resourceSpecificResults().get(0).missingContextValues()).isEmpty();
        assertThat(with.resourceSpecificResults().get(0).evalResourceDecisionAsString()).isEqualTo("allowed");

        EvaluationResult elsewhere = iam.simulatePrincipalPolicy(r -> r.policySourceArn(userArn("sim-cond")).actionNames(GET)
                .resourceArns(secretArn).contextEntries(
                        entry("aws:SourceIp", ContextKeyTypeEnum.IP, "192.0.2.1"),
                        entry("secretsmanager:VersionStage", ContextKeyTypeEnum.STRING, "AWSCURRENT")))
                .evaluationResults().get(0);
        assertThat(elsewhere.evalDecisionAsString()).isEqualTo("implicitDeny");
    }

    @Test
    void aContextEntry_replacesTheGlobalKeyTheSimulatorSupplies_inAnySpelling() {
        iam.createUser(r -> r.userName("sim-named"));
        iam.putUserPolicy(r -> r.userName("sim-named").policyName("self").policyDocument(policy("""
                {"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*",
                 "Condition":{"StringEquals":{"aws:username":"sim-named"}}}""")));
        assertThat(simulate(userArn("sim-named"), GET, "*").evalDecisionAsString()).isEqualTo("allowed");
        EvaluationResult other = iam.simulatePrincipalPolicy(r -> r.policySourceArn(userArn("sim-named")).actionNames(GET)
                .contextEntries(entry("AWS:UserName", ContextKeyTypeEnum.STRING, "someone-else"))).evaluationResults().get(0);
        assertThat(other.evalDecisionAsString()).isEqualTo("implicitDeny");
    }

    @Test
    void aCustomPolicy_everyActionAndResource_paged() {
        var first = iam.simulateCustomPolicy(r -> r.policyInputList(policy("""
                {"Sid":"Get","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}"""))
                .actionNames(GET, "secretsmanager:PutSecretValue").resourceArns(secretArn, otherArn).maxItems(3));
        assertThat(first.isTruncated()).isTrue();
        assertThat(first.evaluationResults()).hasSize(3);
        var rest = iam.simulateCustomPolicy(r -> r.policyInputList(policy("""
                {"Sid":"Get","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}"""))
                .actionNames(GET, "secretsmanager:PutSecretValue").resourceArns(secretArn, otherArn).maxItems(3)
                .marker(first.marker()));
        assertThat(rest.isTruncated()).isFalse();
        List<EvaluationResult> all = new java.util.ArrayList<>(first.evaluationResults());
        all.addAll(rest.evaluationResults());
        assertThat(all).extracting(EvaluationResult::evalActionName, EvaluationResult::evalDecisionAsString).containsExactly(
                org.assertj.core.groups.Tuple.tuple(GET, "allowed"), org.assertj.core.groups.Tuple.tuple(GET, "allowed"),
                org.assertj.core.groups.Tuple.tuple("secretsmanager:PutSecretValue", "implicitDeny"),
                org.assertj.core.groups.Tuple.tuple("secretsmanager:PutSecretValue", "implicitDeny"));
        assertThat(all.get(0).matchedStatements()).extracting(Statement::sourcePolicyId, Statement::sourcePolicyTypeAsString)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("PolicyInputList.1", "IAM Policy"));
    }

    @Test
    void aResourcePolicyGivenInline_grantsAndDenies() {
        iam.createUser(r -> r.userName("sim-nothing"));
        String grant = policy("""
                {"Effect":"Allow","Principal":{"AWS":"%s"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}"""
                .formatted(userArn("sim-nothing")));
        EvaluationResult granted = iam.simulatePrincipalPolicy(r -> r.policySourceArn(userArn("sim-nothing")).actionNames(GET)
                .resourceArns(secretArn).resourcePolicy(grant)).evaluationResults().get(0);
        assertThat(granted.evalDecisionAsString()).isEqualTo("allowed");
        assertThat(granted.matchedStatements()).extracting(Statement::sourcePolicyId, Statement::sourcePolicyTypeAsString)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ResourcePolicy", "resource"));

        String deny = policy("""
                {"Effect":"Deny","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}""");
        EvaluationResult denied = iam.simulateCustomPolicy(r -> r.policyInputList(policy("""
                {"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}""")).actionNames(GET).resourceArns(secretArn)
                .resourcePolicy(deny).callerArn(userArn("sim-nothing"))).evaluationResults().get(0);
        assertThat(denied.evalDecisionAsString()).isEqualTo("explicitDeny");
        assertThat(denied.matchedStatements()).extracting(Statement::sourcePolicyType)
                .extracting(Object::toString).containsExactly("resource");
    }

    @Test
    void unknownSourceAndMalformedPolicies_areRefusedInIamsWords() {
        NoSuchEntityException missing = catchThrowableOfType(NoSuchEntityException.class,
                () -> simulate(userArn("nobody-here"), GET, "*"));
        assertThat(missing.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
        assertThat(missing.awsErrorDetails().errorMessage()).isEqualTo("The user with name nobody-here cannot be found.");
        assertThat(catchThrowableOfType(NoSuchEntityException.class, () -> simulate(
                "arn:aws:iam::" + account + ":role/no-such-role", GET, "*")).awsErrorDetails().errorMessage())
                .isEqualTo("The role with name no-such-role cannot be found.");

        // Another account's users are not there to simulate, even for an administrator.
        assertThat(catchThrowableOfType(NoSuchEntityException.class, () -> simulate(
                "arn:aws:iam::999999999999:user/coffer-admin", GET, "*")).awsErrorDetails().errorMessage())
                .isEqualTo("The user with name coffer-admin cannot be found.");

        AwsServiceException malformed = catchThrowableOfType(AwsServiceException.class, () -> iam.simulateCustomPolicy(
                r -> r.policyInputList("{\"Statement\":[{\"Effect\":\"Allow\"}]}").actionNames(GET)));
        assertThat(malformed.awsErrorDetails().errorCode()).isEqualTo("InvalidInput");
        AwsServiceException resourceWithoutCaller = catchThrowableOfType(AwsServiceException.class, () -> iam.simulateCustomPolicy(
                r -> r.policyInputList(policy("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}")).actionNames(GET)
                        .resourcePolicy(policy("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}"))));
        assertThat(resourceWithoutCaller.awsErrorDetails().errorCode()).isEqualTo("InvalidInput");
    }

    @Test
    void theSimulatorsDecision_isWhatARealRequestGets() {
        String[] policies = {
                policy("{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}"),
                policy("{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"" + otherArn + "\"}"),
                policy("{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:*\",\"Resource\":\"*\"},"
                        + "{\"Effect\":\"Deny\",\"Action\":\"secretsmanager:Get*\",\"Resource\":\"arn:aws:secretsmanager:*:*:secret:sim/pay*\"}"),
                policy("{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\","
                        + "\"Condition\":{\"StringEquals\":{\"aws:username\":\"sim-real-4\"}}}"),
                policy("{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\","
                        + "\"Condition\":{\"StringEquals\":{\"aws:username\":\"someone-else\"}}}"),
        };
        for (int i = 0; i < policies.length; i++) {
            String name = "sim-real-" + i;
            SecretsManagerClient user = userWith(name, policies[i]);
            for (String secret : new String[] {secretArn, otherArn}) {
                boolean simulated = simulate(userArn(name), GET, secret).evalDecisionAsString().equals("allowed");
                AwsServiceException e = catchThrowableOfType(AwsServiceException.class,
                        () -> user.getSecretValue(r -> r.secretId(secret)));
                assertThat(e == null).as("policy %d on %s", i, secret).isEqualTo(simulated);
                if (e != null) assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            }
        }
    }

    @Test
    void anotherAccountsRole_isNotThereToSimulate_butIsToItsOwnAdministrator() {
        String accountB = Clients.organizations(server, Clients.of(server.adminCredentials()))
                .createAccount(r -> r.accountName("sim-b").email("sim-b@example.com")).createAccountStatus().accountId();
        String roleB = "arn:aws:iam::" + accountB + ":role/OrganizationAccountAccessRole";
        NoSuchEntityException e = catchThrowableOfType(NoSuchEntityException.class, () -> simulate(roleB, GET, "*"));
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The role with name OrganizationAccountAccessRole cannot be found.");

        var inB = Clients.sts(server, Clients.of(server.adminCredentials())).assumeRole(r -> r.roleSessionName("sim")
                .roleArn(roleB)).credentials();
        IamClient iamB = Clients.iam(server, Clients.of(inB));
        EvaluationResult own = iamB.simulatePrincipalPolicy(r -> r.policySourceArn(roleB).actionNames(GET))
                .evaluationResults().get(0);
        assertThat(own.evalDecisionAsString()).isEqualTo("allowed");
        assertThat(own.matchedStatements()).extracting(Statement::sourcePolicyId, Statement::sourcePolicyTypeAsString)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("AdministratorAccess", "aws-managed"));
    }

    @Test
    void throughTheAwsCli() throws IOException {
        Path scratch = Files.createTempDirectory("coffer-sim-cli-");
        AwsCli cli = AwsCli.against(server, scratch);
        userWith("sim-cli", policy("""
                {"Sid":"ReadPayments","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"%s"}""".formatted(secretArn)));
        JsonNode out = AwsCli.ok(cli.run("iam", "simulate-principal-policy", "--policy-source-arn", userArn("sim-cli"),
                "--action-names", GET, "secretsmanager:DeleteSecret", "--resource-arns", secretArn));
        JsonNode results = out.get("EvaluationResults");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("EvalActionName").asText()).isEqualTo(GET);
        assertThat(results.get(0).get("EvalDecision").asText()).isEqualTo("allowed");
        assertThat(results.get(0).get("MatchedStatements").get(0).get("SourcePolicyId").asText()).isEqualTo("p");
        assertThat(results.get(1).get("EvalDecision").asText()).isEqualTo("implicitDeny");
    }

    @Test
    void aSimulationIsAuthorizedAsIamSimulatePrincipalPolicy() {
        SimulatePrincipalPolicyResponse self = iam.simulatePrincipalPolicy(r -> r.policySourceArn(userArn("coffer-admin"))
                .actionNames(GET));
        assertThat(self.evaluationResults().get(0).evalDecisionAsString()).isEqualTo("allowed");
        userWith("sim-no-iam", policy("{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:*\",\"Resource\":\"*\"}"));
        AccessKey key = iam.createAccessKey(r -> r.userName("sim-no-iam")).accessKey();
        IamClient limited = Clients.iam(server, Clients.of(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())));
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class,
                () -> limited.simulatePrincipalPolicy(r -> r.policySourceArn(userArn("sim-no-iam")).actionNames(GET)));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(e.awsErrorDetails().errorMessage()).contains("iam:SimulatePrincipalPolicy");
    }
}
