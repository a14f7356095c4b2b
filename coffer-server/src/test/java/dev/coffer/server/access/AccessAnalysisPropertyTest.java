package dev.coffer.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.testkit.PostgresSuiteCondition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Over random policies and principals: who-can(secret) names P ⇔ what-can(P) names the secret ⇔ the
 * decider allows P GetSecretValue on the secret — the last asked the way a request asks it, by
 * calling GetSecretValue as P (a user's own key; a role through an AssumeRole session), so the
 * pipeline's {@code AccessDecider.decide} answers. Generated conditions test only keys both the
 * analysis and a real request carry the same way (resource tags, principal ARN).
 *
 * <p>Needs the IAM API, STS, the identity directory, the policy evaluator and the policy authorizer
 * in the pipeline (IAM branches): until those are merged this property fails at its first try.
 */
@AddLifecycleHook(PostgresSuiteCondition.class)
class AccessAnalysisPropertyTest {
    private static final String GET = "secretsmanager:GetSecretValue";
    private static final List<String> ENVIRONMENTS = List.of("prod", "dev", "staging");
    private static final AtomicInteger TRIES = new AtomicInteger();
    private static AccessFixture f;

    @BeforeContainer
    static void start() {
        f = new AccessFixture();
    }

    @AfterContainer
    static void stop() {
        if (f != null) f.close();
    }

    // ---- the generated world ---------------------------------------------------------------------

    /** One policy statement, with the resource named by environment (or every secret). */
    record Stmt(boolean allow, String action, String environment, String teamCondition) {
        String json(String account) {
            String resource = environment == null ? "*" : "arn:aws:secretsmanager:us-east-1:" + account + ":secret:" + environment + "/*";
            return "{\"Effect\":\"" + (allow ? "Allow" : "Deny") + "\",\"Action\":\"" + action + "\",\"Resource\":\""
                    + resource + "\"" + condition() + "}";
        }

        String condition() {
            return teamCondition == null ? ""
                    : ",\"Condition\":{\"StringEquals\":{\"secretsmanager:ResourceTag/team\":\"" + teamCondition + "\"}}";
        }
    }

    /** A resource-policy statement naming one of the generated principals by index. */
    record ResourceStmt(boolean allow, int principal, String action) {}

    record PrincipalSpec(boolean role, boolean inGroup, List<Stmt> statements) {}

    record SecretSpec(String environment, String team, List<ResourceStmt> resourcePolicy) {}

    record World(List<PrincipalSpec> principals, List<Stmt> groupPolicy, List<SecretSpec> secrets) {}

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<Stmt> stmt = Combinators.combine(
                Arbitraries.integers().between(0, 9).map(i -> i >= 2),
                Arbitraries.of(GET, "secretsmanager:Get*", "secretsmanager:*", "*", "secretsmanager:DescribeSecret"),
                Arbitraries.of("prod", "dev", "staging", "*").map(e -> e.equals("*") ? null : e),
                Arbitraries.of("a", "b", "-", "-").map(t -> t.equals("-") ? null : t)).as(Stmt::new);
        Arbitrary<PrincipalSpec> principal = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                stmt.list().ofMinSize(0).ofMaxSize(3)).as(PrincipalSpec::new);
        Arbitrary<ResourceStmt> resourceStmt = Combinators.combine(Arbitraries.integers().between(0, 9).map(i -> i >= 3),
                Arbitraries.integers().between(0, 3), Arbitraries.of(GET, "secretsmanager:*")).as(ResourceStmt::new);
        Arbitrary<SecretSpec> secret = Combinators.combine(Arbitraries.of(ENVIRONMENTS), Arbitraries.of("a", "b"),
                resourceStmt.list().ofMaxSize(2)).as(SecretSpec::new);
        return Combinators.combine(principal.list().ofMinSize(1).ofMaxSize(4), stmt.list().ofMaxSize(2),
                secret.list().ofMinSize(1).ofMaxSize(3)).as(World::new);
    }

    // ---- the property ----------------------------------------------------------------------------

    @Property(tries = 12, shrinking = ShrinkingMode.OFF)
    void whoCanWhatCanAndTheDecisionAgree(@ForAll("worlds") World world) {
        String t = "t" + TRIES.incrementAndGet();
        String group = t + "-group";
        f.iam.createGroup(b -> b.groupName(group));
        if (!world.groupPolicy().isEmpty()) {
            f.iam.putGroupPolicy(b -> b.groupName(group).policyName("G").policyDocument(policy(world.groupPolicy())));
        }

        List<String> arns = new ArrayList<>();
        Map<String, AwsCredentials> credentials = new LinkedHashMap<>();
        for (int i = 0; i < world.principals().size(); i++) {
            PrincipalSpec p = world.principals().get(i);
            String name = t + "-p" + i;
            if (p.role()) {
                f.iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(f.trustAccount()));
                if (!p.statements().isEmpty()) {
                    f.iam.putRolePolicy(b -> b.roleName(name).policyName("P").policyDocument(policy(p.statements())));
                }
                arns.add(f.roleArn(name));
            } else {
                f.iam.createUser(b -> b.userName(name));
                if (!p.statements().isEmpty()) {
                    f.iam.putUserPolicy(b -> b.userName(name).policyName("P").policyDocument(policy(p.statements())));
                }
                if (p.inGroup()) f.iam.addUserToGroup(b -> b.groupName(group).userName(name));
                var key = f.iam.createAccessKey(b -> b.userName(name)).accessKey();
                credentials.put(f.userArn(name), AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
                arns.add(f.userArn(name));
            }
        }

        List<String> secretArns = new ArrayList<>();
        for (int i = 0; i < world.secrets().size(); i++) {
            SecretSpec s = world.secrets().get(i);
            String arn = f.createSecret(s.environment() + "/" + t + "-s" + i, Tag.builder().key("team").value(s.team()).build());
            if (!s.resourcePolicy().isEmpty()) {
                List<String> statements = new ArrayList<>();
                for (ResourceStmt r : s.resourcePolicy()) {
                    String who = arns.get(r.principal() % arns.size());
                    statements.add("{\"Effect\":\"" + (r.allow() ? "Allow" : "Deny") + "\",\"Principal\":{\"AWS\":\"" + who
                            + "\"},\"Action\":\"" + r.action() + "\",\"Resource\":\"*\"}");
                }
                f.secrets.putResourcePolicy(b -> b.secretId(arn)
                        .resourcePolicy("{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}"));
            }
            secretArns.add(arn);
        }

        Set<String> fromWhoCan = new LinkedHashSet<>();
        for (String secret : secretArns) {
            for (JsonNode p : f.whoCan(secret, GET).path("Principals")) {
                if (arns.contains(p.path("PrincipalArn").asText())) fromWhoCan.add(p.path("PrincipalArn").asText() + " " + secret);
            }
        }
        Set<String> fromWhatCan = new LinkedHashSet<>();
        Set<String> fromRequests = new LinkedHashSet<>();
        for (int i = 0; i < arns.size(); i++) {
            String principal = arns.get(i);
            for (JsonNode s : f.whatCan(principal, GET).path("Secrets")) {
                if (secretArns.contains(s.path("SecretARN").asText())) fromWhatCan.add(principal + " " + s.path("SecretARN").asText());
            }
            AwsCredentials as = world.principals().get(i).role() ? f.assume(principal, "property-" + t)
                    : credentials.get(principal);
            try (SecretsManagerClient client = f.secretsAs(as)) {
                for (String secret : secretArns) {
                    if (allowed(client, secret)) fromRequests.add(principal + " " + secret);
                }
            }
        }

        assertThat(fromWhatCan).as("what-can vs who-can in %s", world).containsExactlyInAnyOrderElementsOf(fromWhoCan);
        assertThat(fromRequests).as("real GetSecretValue vs who-can in %s", world).containsExactlyInAnyOrderElementsOf(fromWhoCan);
    }

    /** Whether a GetSecretValue call as this client gets past authorization. The value is never looked at. */
    private static boolean allowed(SecretsManagerClient client, String secretArn) {
        try {
            client.getSecretValue(b -> b.secretId(secretArn));
            return true;
        } catch (SecretsManagerException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("AccessDeniedException".equals(code)) return false;
            throw new AssertionError("GetSecretValue failed with " + code + ", not an authorization answer");
        }
    }

    private static String policy(List<Stmt> statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":["
                + String.join(",", statements.stream().map(s -> s.json(f.account)).toList()) + "]}";
    }
}
