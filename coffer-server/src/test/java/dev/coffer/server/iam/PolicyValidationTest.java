package dev.coffer.server.iam;

import static dev.coffer.server.iam.Fixtures.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed shapes are refused with IAM's words (MalformedPolicyDocument carries them). */
class PolicyValidationTest {
    private static final String OK_STATEMENT = "'Effect':'Allow','Action':'secretsmanager:GetSecretValue','Resource':'*'";

    static Stream<Arguments> malformedIdentityPolicies() {
        return Stream.of(
                Arguments.of("notJson", "{'Statement':", "Syntax errors in policy."),
                Arguments.of("notAnObject", "['a']", "Syntax errors in policy."),
                Arguments.of("trailingGarbage", "{'Statement':{" + OK_STATEMENT + "}} x", "Syntax errors in policy."),
                Arguments.of("duplicateKey", "{'Statement':{" + OK_STATEMENT + ",'Effect':'Deny'}}", "Syntax errors in policy."),
                Arguments.of("missingStatement", "{'Version':'2012-10-17'}", "Syntax errors in policy."),
                Arguments.of("emptyStatementArray", "{'Version':'2012-10-17','Statement':[]}", "Syntax errors in policy."),
                Arguments.of("statementNotObject", "{'Statement':['x']}", "Syntax errors in policy."),
                Arguments.of("unknownTopLevel", "{'Version':'2012-10-17','Statment':[]}", "Syntax errors in policy."),
                Arguments.of("unknownStatementElement", "{'Statement':{" + OK_STATEMENT + ",'Resources':'*'}}", "Syntax errors in policy."),
                Arguments.of("elementNamesAreCaseSensitive", "{'Statement':{'effect':'Allow','Action':'s3:x','Resource':'*'}}", "Syntax errors in policy."),
                Arguments.of("badVersion", "{'Version':'2012-10-18','Statement':{" + OK_STATEMENT + "}}", "Syntax errors in policy."),
                Arguments.of("missingEffect", "{'Statement':{'Action':'s3:x','Resource':'*'}}", "Syntax errors in policy."),
                Arguments.of("unknownEffect", "{'Statement':{'Effect':'Permit','Action':'s3:x','Resource':'*'}}", "Syntax errors in policy."),
                Arguments.of("effectInTheWrongCase", "{'Statement':{'Effect':'allow','Action':'s3:x','Resource':'*'}}", "The policy failed legacy parsing"),
                Arguments.of("badDateInCondition", "{'Statement':{" + OK_STATEMENT + ",'Condition':{'DateGreaterThan':{'aws:CurrentTime':'2026-13-01'}}}}",
                        "The policy failed legacy parsing"),
                Arguments.of("arnWithEmptyService", "{'Statement':{'Effect':'Allow','Action':'s3:x','Resource':'arn:aws::us-east-1:111122223333:x'}}",
                        "The policy failed legacy parsing"),
                Arguments.of("arnMissingParts", "{'Statement':{'Effect':'Allow','Action':'s3:x','Resource':'arn:aws:s3::bucket'}}",
                        "The policy failed legacy parsing"),
                Arguments.of("invalidVendor", "{'Statement':{'Effect':'Allow','Action':'secrets*:GetSecretValue','Resource':'*'}}",
                        "Vendor secrets* is not valid"),
                Arguments.of("passesRunInIamsOrder_actionsBeforeResourceFormat",
                        "{'Statement':[{'Effect':'Allow','Action':'s3:x','Resource':'bucket'},{'Effect':'Allow','Resource':'*'}]}",
                        "Policy statement must contain actions."),
                Arguments.of("passesRunInIamsOrder_syntaxBeforeEverything",
                        "{'Statement':[{'Effect':'Allow','Resource':'*'},{'Effect':'Allow','Action':'s3:x','Resource':'*','Bogus':1}]}",
                        "Syntax errors in policy."),
                Arguments.of("missingAction", "{'Statement':{'Effect':'Allow','Resource':'*'}}", "Policy statement must contain actions."),
                Arguments.of("emptyActionList", "{'Statement':{'Effect':'Allow','Action':[],'Resource':'*'}}", "Policy statement must contain actions."),
                Arguments.of("actionWithoutVendor", "{'Statement':{'Effect':'Allow','Action':'GetSecretValue','Resource':'*'}}",
                        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
                Arguments.of("actionWithTwoColons", "{'Statement':{'Effect':'Allow','Action':'arn:aws:logs:*','Resource':'*'}}",
                        "Actions/Condition can contain only one colon."),
                Arguments.of("conditionWithoutOperator", "{'Statement':{" + OK_STATEMENT + ",'Condition':{'servicecatalog:accountLevel':'self'}}}",
                        "Syntax errors in policy."),
                Arguments.of("actionAndNotAction", "{'Statement':{'Effect':'Allow','Action':'s3:x','NotAction':'s3:y','Resource':'*'}}",
                        "Syntax errors in policy."),
                Arguments.of("actionNotString", "{'Statement':{'Effect':'Allow','Action':7,'Resource':'*'}}", "Syntax errors in policy."),
                Arguments.of("missingResource", "{'Statement':{'Effect':'Allow','Action':'s3:x'}}", "Policy statement must contain resources."),
                Arguments.of("resourceNotArn", "{'Statement':{'Effect':'Allow','Action':'s3:x','Resource':'bucket'}}",
                        "Resource bucket must be in ARN format or \"*\"."),
                Arguments.of("principalInIdentityPolicy", "{'Statement':{" + OK_STATEMENT + ",'Principal':'*'}}",
                        "Policy document should not specify a principal."),
                Arguments.of("unknownConditionOperator", "{'Statement':{" + OK_STATEMENT + ",'Condition':{'StringEqualz':{'aws:username':'a'}}}}",
                        "Syntax errors in policy."),
                Arguments.of("unknownSetQualifier", "{'Statement':{" + OK_STATEMENT + ",'Condition':{'ForSomeValues:StringEquals':{'aws:TagKeys':'a'}}}}",
                        "Syntax errors in policy."),
                Arguments.of("nullIfExistsIsNoOperator", "{'Statement':{" + OK_STATEMENT + ",'Condition':{'NullIfExists':{'aws:username':'true'}}}}",
                        "Syntax errors in policy."),
                Arguments.of("conditionKeyWithoutVendor", "{'Statement':{" + OK_STATEMENT + ",'Condition':{'StringEquals':{'username':'a'}}}}",
                        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
                Arguments.of("conditionValueObject", "{'Statement':{" + OK_STATEMENT + ",'Condition':{'StringEquals':{'aws:username':{'a':1}}}}}",
                        "Syntax errors in policy."),
                Arguments.of("conditionNotObject", "{'Statement':{" + OK_STATEMENT + ",'Condition':'x'}}", "Syntax errors in policy."),
                Arguments.of("sidNotAlphanumeric", "{'Statement':{'Sid':'read it'," + OK_STATEMENT + "}}",
                        "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"),
                Arguments.of("duplicateSid", "{'Statement':[{'Sid':'A'," + OK_STATEMENT + "},{'Sid':'A'," + OK_STATEMENT + "}]}",
                        "Statement IDs (SID) in a single policy must be unique."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedIdentityPolicies")
    void malformedIdentityPolicy_isRefusedInIamsWords(String name, String policy, String message) {
        assertThatThrownBy(() -> PolicyDocument.parse(q(policy), PolicyKind.IDENTITY))
                .isInstanceOf(MalformedPolicyException.class).hasMessage(message);
    }

    static Stream<Arguments> malformedResourcePolicies() {
        return Stream.of(
                Arguments.of("missingPrincipal", "{'Statement':{" + OK_STATEMENT + "}}", "Missing required field Principal"),
                Arguments.of("principalAndNotPrincipal", "{'Statement':{" + OK_STATEMENT + ",'Principal':'*','NotPrincipal':'*'}}",
                        "Syntax errors in policy."),
                Arguments.of("principalStringNotStar", "{'Statement':{" + OK_STATEMENT + ",'Principal':'alice'}}", "Invalid principal in policy"),
                Arguments.of("unknownPrincipalType", "{'Statement':{" + OK_STATEMENT + ",'Principal':{'Robot':'x'}}}", "Invalid principal in policy"),
                Arguments.of("partialWildcardPrincipal", "{'Statement':{" + OK_STATEMENT + ",'Principal':{'AWS':'arn:aws:iam::111122223333:user/*'}}}",
                        "Invalid principal in policy"),
                Arguments.of("principalNotArn", "{'Statement':{" + OK_STATEMENT + ",'Principal':{'AWS':'alice'}}}", "Invalid principal in policy"),
                Arguments.of("badServicePrincipal", "{'Statement':{" + OK_STATEMENT + ",'Principal':{'Service':'lambda'}}}", "Invalid principal in policy"),
                Arguments.of("emptyPrincipalObject", "{'Statement':{" + OK_STATEMENT + ",'Principal':{}}}", "Invalid principal in policy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedResourcePolicies")
    void malformedResourcePolicy_isRefusedInIamsWords(String name, String policy, String message) {
        assertThatThrownBy(() -> PolicyDocument.parse(q(policy), PolicyKind.RESOURCE))
                .isInstanceOf(MalformedPolicyException.class).hasMessage(message);
    }

    @Test
    void trustPolicyConditionKeysOfOidcProviders_areValid() {
        PolicyDocument trust = PolicyDocument.parse("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                  "Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AB12"},
                  "Action":"sts:AssumeRoleWithWebIdentity","Condition":{
                    "StringEquals":{"oidc.eks.eu-west-1.amazonaws.com/id/AB12:sub":"system:serviceaccount:payments:api"},
                    "StringLike":{"token.actions.githubusercontent.com:sub":"repo:my-org/payments:*"}}}]}""",
                PolicyKind.RESOURCE);
        assertThat(trust.conditionKeys()).anyMatch(k -> k.equalsIgnoreCase("oidc.eks.eu-west-1.amazonaws.com/id/AB12:sub"));
    }

    @Test
    void nullText_isASyntaxError() {
        assertThatThrownBy(() -> PolicyDocument.parse(null, PolicyKind.IDENTITY)).hasMessage("Syntax errors in policy.");
    }

    @Test
    void resourcePolicyWithoutResource_coversTheResourceItIsAttachedTo() {
        PolicyDocument trust = Fixtures.resource("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'Principal':{'AWS':'arn:aws:iam::111122223333:root'},'Action':'sts:AssumeRole'}}");
        assertThat(trust.statements().get(0).resources()).isNull();
    }

    @Test
    void resourcePolicySidMayHaveSpaces() {
        PolicyDocument doc = Fixtures.resource("{'Statement':{'Sid':'Let the app read'," + OK_STATEMENT + ",'Principal':'*'}}");
        assertThat(doc.statementIds()).containsExactly("Let the app read");
    }

    @Test
    void validPolicy_exposesItsParts() {
        String json = q("{'Version':'2012-10-17','Id':'p1','Statement':[{'Sid':'A'," + OK_STATEMENT
                + ",'Condition':{'StringEquals':{'aws:PrincipalTag/team':'${aws:username}'},'Bool':{'aws:SecureTransport':true}}},"
                + "{'Effect':'Deny','NotAction':['secretsmanager:Delete*'],'NotResource':'arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/team}-*'}]}");
        PolicyDocument doc = PolicyDocument.parse(json, PolicyKind.IDENTITY);
        assertThat(doc.json()).isEqualTo(json);
        assertThat(doc.version()).isEqualTo("2012-10-17");
        assertThat(doc.id()).isEqualTo("p1");
        assertThat(doc.kind()).isEqualTo(PolicyKind.IDENTITY);
        assertThat(doc.statementIds()).containsExactly("A", null);
        assertThat(doc.statements().get(1).notAction()).isTrue();
        assertThat(doc.statements().get(1).allows()).isFalse();
        assertThat(doc.conditionKeys()).containsExactlyInAnyOrder("aws:PrincipalTag/team", "aws:username", "aws:SecureTransport");
    }

    @Test
    void missingVersion_meansTheOldLanguage() {
        assertThat(Fixtures.identity("{'Statement':{" + OK_STATEMENT + "}}").version()).isEqualTo("2008-10-17");
    }

    @Test
    void emptyConditionBlock_passesWhateverItsOperator() {
        assertThat(Fixtures.identity("{'Statement':{" + OK_STATEMENT + ",'Condition':{'Whatever':{}}}}").conditionKeys()).isEmpty();
    }

    @Test
    void isoDatesOfAnyPrecision_andEpochSeconds_parse() {
        for (String date : new String[] {"2026", "2026-12", "2026-12-01", "2026-12-01T13", "2026-12-01T13:05", "2026-12-01T13:05:09",
                "2026-12-01T13:05:09.123Z", "2026-12-01t13:05:09z", "2026-12-01T13:05:09+01:00", "2026-12-01T13:05:09-0130", "1700000000",
                "1700000000.5"}) {
            Fixtures.identity("{'Statement':{" + OK_STATEMENT + ",'Condition':{'DateLessThan':{'aws:CurrentTime':'" + date + "'}}}}");
        }
        assertThat(PolicyDates.parse("2026-12-01T14:00:00+01:00")).isEqualTo(PolicyDates.parse("2026-12-01T13:00:00Z"));
        assertThat(PolicyDates.parse("1700000000")).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void operatorNamesAndQualifiers_areCaseInsensitive() {
        Fixtures.identity("{'Statement':{" + OK_STATEMENT
                + ",'Condition':{'forallvalues:stringlikeifexists':{'aws:TagKeys':'a*'},'numericlessthan':{'secretsmanager:RecoveryWindowInDays':'7'}}}}");
    }
}
