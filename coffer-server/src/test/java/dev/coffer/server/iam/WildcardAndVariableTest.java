package dev.coffer.server.iam;

import static dev.coffer.server.iam.Fixtures.ACCOUNT;
import static dev.coffer.server.iam.Fixtures.GET;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Action and Resource matching (in policies here ' stands for " and ` for '), and policy variables (AWS "IAM policy elements: Variables and tags"). */
class WildcardAndVariableTest {
    private static final PolicyEvaluator EVALUATOR = new PolicyEvaluator();

    private static boolean allows(String version, String action, String resource, String requestAction, String requestResource,
                                  Map<String, List<String>> ctx) {
        String v = version == null ? "" : "'Version':'" + version + "',";
        PolicyDocument doc = PolicyDocument.parse(("{" + v + "'Statement':{'Effect':'Allow','Action':'" + action + "','Resource':'"
                + resource + "'}}").replace('\'', '"').replace('`', '\''), PolicyKind.IDENTITY);
        AccessRequest r = Fixtures.request(Fixtures.user(ACCOUNT, "alice"), requestAction, requestResource, ACCOUNT, ctx);
        return EVALUATOR.evaluate(r, Fixtures.identityOnly(new NamedPolicy("p", doc))).allowed();
    }

    static Stream<Arguments> actions() {
        return Stream.of(
                Arguments.of("exactAction", "secretsmanager:GetSecretValue", "secretsmanager:GetSecretValue", true),
                Arguments.of("actionsAreCaseInsensitive", "SecretsManager:getsecretvalue", "secretsmanager:GetSecretValue", true),
                Arguments.of("prefixWildcardIgnoresCase", "secretsmanager:get*", "secretsmanager:GetSecretValue", true),
                Arguments.of("wildcardInTheMiddle", "secretsmanager:*Secret*", "secretsmanager:DescribeSecret", true),
                Arguments.of("questionMark", "secretsmanager:?etSecretValue", "secretsmanager:GetSecretValue", true),
                Arguments.of("otherService", "kms:*", "secretsmanager:GetSecretValue", false),
                Arguments.of("allActions", "*", "secretsmanager:GetSecretValue", true),
                Arguments.of("serviceWildcard", "*:GetSecretValue", "secretsmanager:GetSecretValue", true),
                Arguments.of("prefixIsWholeName", "secretsmanager:Get", "secretsmanager:GetSecretValue", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void actionMatching(String name, String policyAction, String requestAction, boolean expected) {
        assertThat(allows("2012-10-17", policyAction, "*", requestAction, Fixtures.SECRET, Map.of())).isEqualTo(expected);
    }

    static Stream<Arguments> resources() {
        String secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf";
        return Stream.of(
                Arguments.of("starMatchesEverything", "*", secret, true),
                Arguments.of("starMatchesNoParticularResource", "*", "*", true),
                Arguments.of("arnDoesNotMatchNoParticularResource", "arn:aws:secretsmanager:*:*:secret:*", "*", false),
                Arguments.of("exactArn", secret, secret, true),
                Arguments.of("resourceIsCaseSensitive", "arn:aws:secretsmanager:us-east-1:111122223333:secret:Prod/db-AbCdEf", secret, false),
                Arguments.of("trailingStarCrossesSlashes", "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/*", secret, true),
                Arguments.of("suffixWildcardForRandomSuffix", "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-??????", secret, true),
                Arguments.of("wildcardRegionAndAccount", "arn:aws:secretsmanager:*:*:secret:prod/*", secret, true),
                Arguments.of("otherAccount", "arn:aws:secretsmanager:*:444455556666:secret:*", secret, false),
                Arguments.of("wildcardDoesNotSpanSegments", "arn:aws:secretsmanager:us-*:secret:prod/db-AbCdEf", secret, false),
                Arguments.of("shortPatternEndingInStarCoversTheRest", "arn:aws:secretsmanager:*", secret, true),
                Arguments.of("otherService", "arn:aws:s3:::*", secret, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void resourceMatching(String name, String policyResource, String requestResource, boolean expected) {
        assertThat(allows("2012-10-17", GET, policyResource, GET, requestResource, Map.of())).isEqualTo(expected);
    }

    static Stream<Arguments> variables() {
        String base = "arn:aws:secretsmanager:us-east-1:111122223333:secret:";
        return Stream.of(
                Arguments.of("usernameInResource", base + "home/${aws:username}/*", base + "home/alice/key-AbCdEf", Map.of("aws:username", List.of("alice")), true),
                Arguments.of("usernameInResource_otherUsersHome", base + "home/${aws:username}/*", base + "home/bob/key-AbCdEf", Map.of("aws:username", List.of("alice")), false),
                Arguments.of("variableKeyIsCaseInsensitive", base + "home/${AWS:UserName}/*", base + "home/alice/key-AbCdEf", Map.of("aws:username", List.of("alice")), true),
                Arguments.of("principalTagInResource", base + "${aws:PrincipalTag/team}/*", base + "blue/key-AbCdEf", Map.of("aws:PrincipalTag/team", List.of("blue")), true),
                Arguments.of("missingVariable_matchesNothing", base + "${aws:PrincipalTag/team}/*", base + "blue/key-AbCdEf", Map.of(), false),
                Arguments.of("missingVariableWithStarResource_stillNothing", "${aws:PrincipalTag/team}", base + "blue", Map.of(), false),
                Arguments.of("defaultValue_usedWhenKeyMissing", base + "${aws:PrincipalTag/team, `shared`}/*", base + "shared/key-AbCdEf", Map.of(), true),
                Arguments.of("defaultValue_ignoredWhenKeyPresent", base + "${aws:PrincipalTag/team, `shared`}/*", base + "shared/key-AbCdEf", Map.of("aws:PrincipalTag/team", List.of("blue")), false),
                Arguments.of("substitutedTextIsLiteral_notAWildcard", base + "${aws:username}", base + "anything", Map.of("aws:username", List.of("*")), false),
                Arguments.of("starEscape_isLiteralStar", base + "a${*}b", base + "a*b", Map.of(), true),
                Arguments.of("starEscape_isNoWildcard", base + "a${*}b", base + "axxb", Map.of(), false),
                Arguments.of("questionEscape", base + "a${?}b", base + "a?b", Map.of(), true),
                Arguments.of("dollarEscape", base + "a${$}b", base + "a$b", Map.of(), true),
                Arguments.of("multiValuedKey_isNoVariable", base + "${aws:TagKeys}", base + "a", Map.of("aws:TagKeys", List.of("a", "b")), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variables")
    void policyVariables(String name, String policyResource, String requestResource, Map<String, List<String>> ctx, boolean expected) {
        assertThat(allows("2012-10-17", GET, policyResource, GET, requestResource, ctx)).isEqualTo(expected);
    }

    @Test
    void version2008_doesNotSubstituteVariables() {
        String base = "arn:aws:secretsmanager:us-east-1:111122223333:secret:";
        Map<String, List<String>> ctx = Map.of("aws:username", List.of("alice"));
        assertThat(allows("2008-10-17", GET, base + "${aws:username}", GET, base + "alice", ctx)).isFalse();
        assertThat(allows(null, GET, base + "${aws:username}", GET, base + "${aws:username}", ctx)).isTrue();
    }

    @Test
    void variablesInConditionValues() {
        assertThat(ConditionOperatorTest.applies("{'StringEquals':{'aws:PrincipalTag/owner':'${aws:username}'}}",
                "aws:username=alice;aws:PrincipalTag/owner=alice")).isTrue();
        assertThat(ConditionOperatorTest.applies("{'StringEquals':{'aws:PrincipalTag/owner':'${aws:username}'}}",
                "aws:username=bob;aws:PrincipalTag/owner=alice")).isFalse();
        assertThat(ConditionOperatorTest.applies("{'StringLike':{'secretsmanager:Name':'${aws:username}/*'}}",
                "aws:username=alice;secretsmanager:Name=alice/db")).isTrue();
        assertThat(ConditionOperatorTest.applies("{'StringEquals':{'secretsmanager:ResourceTag/team':'${aws:PrincipalTag/team}'}}",
                "secretsmanager:ResourceTag/team=blue")).isFalse();
    }

    @Test
    void wildcardMatcher_handlesBacktracking() {
        int[] p = Wildcard.compile("a*b*c", false);
        assertThat(Wildcard.matches(p, "aXbYbZc", false)).isTrue();
        assertThat(Wildcard.matches(p, "aXbYbZ", false)).isFalse();
        assertThat(Wildcard.matches(Wildcard.compile("**", false), "", false)).isTrue();
        assertThat(Wildcard.matches(Wildcard.compile("?", false), "", false)).isFalse();
    }
}
