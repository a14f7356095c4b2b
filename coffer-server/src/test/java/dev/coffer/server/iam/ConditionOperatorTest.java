package dev.coffer.server.iam;

import static dev.coffer.server.iam.Fixtures.ACCOUNT;
import static dev.coffer.server.iam.Fixtures.GET;
import static dev.coffer.server.iam.Fixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each condition operator as AWS's "IAM JSON policy elements: Condition operators" page describes it:
 * one Allow statement guarded by the condition, one request context, does the Allow apply?
 */
class ConditionOperatorTest {
    private static final PolicyEvaluator EVALUATOR = new PolicyEvaluator();

    /** Context written as key=v1|v2;key2=v (empty string: no keys). */
    private static Map<String, List<String>> context(String spec) {
        Map<String, List<String>> m = new HashMap<>();
        if (spec.isEmpty()) return m;
        for (String pair : spec.split(";")) {
            int eq = pair.indexOf('=');
            String values = pair.substring(eq + 1);
            m.put(pair.substring(0, eq), values.isEmpty() ? List.of() : List.of(values.split("\\|")));
        }
        return m;
    }

    static boolean applies(String condition, String contextSpec) {
        PolicyDocument doc = Fixtures.identity("{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'" + GET
                + "','Resource':'*','Condition':" + condition + "}}");
        AccessRequest r = Fixtures.request(Fixtures.user(ACCOUNT, "alice"), GET, SECRET, ACCOUNT, context(contextSpec));
        return EVALUATOR.evaluate(r, Fixtures.identityOnly(new NamedPolicy("p", doc))).allowed();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // String
                Arguments.of("stringEquals_matchesExactValue", "{'StringEquals':{'aws:username':'alice'}}", "aws:username=alice", true),
                Arguments.of("stringEquals_isCaseSensitive", "{'StringEquals':{'aws:username':'Alice'}}", "aws:username=alice", false),
                Arguments.of("stringEquals_valuesAreOred", "{'StringEquals':{'aws:username':['bob','alice']}}", "aws:username=alice", true),
                Arguments.of("stringEquals_asteriskIsLiteral", "{'StringEquals':{'aws:username':'al*'}}", "aws:username=alice", false),
                Arguments.of("stringEquals_onMissingKey_doesNotMatch", "{'StringEquals':{'aws:username':'alice'}}", "", false),
                Arguments.of("conditionKeyNames_areCaseInsensitive", "{'StringEquals':{'AWS:USERNAME':'alice'}}", "aws:username=alice", true),
                Arguments.of("stringNotEquals_differentValue_matches", "{'StringNotEquals':{'aws:username':'bob'}}", "aws:username=alice", true),
                Arguments.of("stringNotEquals_sameValue_doesNotMatch", "{'StringNotEquals':{'aws:username':['bob','alice']}}", "aws:username=alice", false),
                Arguments.of("stringNotEqualsOnMissingKey_matches", "{'StringNotEquals':{'aws:username':'bob'}}", "", true),
                Arguments.of("stringEqualsIgnoreCase_ignoresCase", "{'StringEqualsIgnoreCase':{'aws:username':'ALICE'}}", "aws:username=alice", true),
                Arguments.of("stringNotEqualsIgnoreCase_sameIgnoringCase_doesNotMatch", "{'StringNotEqualsIgnoreCase':{'aws:username':'ALICE'}}", "aws:username=alice", false),
                Arguments.of("stringLike_star", "{'StringLike':{'aws:username':'al*'}}", "aws:username=alice", true),
                Arguments.of("stringLike_questionMark", "{'StringLike':{'aws:username':'al?ce'}}", "aws:username=alice", true),
                Arguments.of("stringLike_questionMarkIsOneCharacter", "{'StringLike':{'aws:username':'al?'}}", "aws:username=alice", false),
                Arguments.of("stringLike_isCaseSensitive", "{'StringLike':{'aws:username':'AL*'}}", "aws:username=alice", false),
                Arguments.of("stringLike_starCrossesSlashes", "{'StringLike':{'secretsmanager:Name':'prod/*'}}", "secretsmanager:Name=prod/db/main", true),
                Arguments.of("stringNotLike_matchingValue_doesNotMatch", "{'StringNotLike':{'aws:username':'a*'}}", "aws:username=alice", false),
                Arguments.of("stringNotLikeOnMissingKey_matches", "{'StringNotLike':{'aws:username':'a*'}}", "", true),
                Arguments.of("stringEqualsIfExists_onMissingKey_matches", "{'StringEqualsIfExists':{'aws:username':'bob'}}", "", true),
                Arguments.of("stringEqualsIfExists_onPresentKey_compares", "{'StringEqualsIfExists':{'aws:username':'bob'}}", "aws:username=alice", false),
                Arguments.of("emptyValueList_isAbsentKey", "{'StringEquals':{'aws:username':'alice'}}", "aws:username=", false),
                // Numeric
                Arguments.of("numericLessThan_smaller_matches", "{'NumericLessThan':{'secretsmanager:RecoveryWindowInDays':'10'}}", "secretsmanager:RecoveryWindowInDays=7", true),
                Arguments.of("numericLessThan_equal_doesNotMatch", "{'NumericLessThan':{'secretsmanager:RecoveryWindowInDays':'7'}}", "secretsmanager:RecoveryWindowInDays=7", false),
                Arguments.of("numericLessThanEquals_equal_matches", "{'NumericLessThanEquals':{'secretsmanager:RecoveryWindowInDays':7}}", "secretsmanager:RecoveryWindowInDays=7", true),
                Arguments.of("numericGreaterThan_larger_matches", "{'NumericGreaterThan':{'s3:max-keys':'10'}}", "s3:max-keys=11", true),
                Arguments.of("numericGreaterThanEquals_smaller_doesNotMatch", "{'NumericGreaterThanEquals':{'s3:max-keys':'10'}}", "s3:max-keys=9", false),
                Arguments.of("numericEquals_comparesNumbersNotText", "{'NumericEquals':{'s3:max-keys':'10'}}", "s3:max-keys=10.0", true),
                Arguments.of("numericNotEquals_different_matches", "{'NumericNotEquals':{'s3:max-keys':'10'}}", "s3:max-keys=9", true),
                Arguments.of("numeric_nonNumericRequestValue_doesNotMatch", "{'NumericEquals':{'s3:max-keys':'10'}}", "s3:max-keys=ten", false),
                Arguments.of("numericLessThanIfExists_onMissingKey_matches", "{'NumericLessThanIfExists':{'s3:max-keys':'10'}}", "", true),
                // Date
                Arguments.of("dateLessThan_before_matches", "{'DateLessThan':{'aws:CurrentTime':'2027-01-01T00:00:00Z'}}", "aws:CurrentTime=2026-12-01T13:00:00Z", true),
                Arguments.of("dateLessThan_after_doesNotMatch", "{'DateLessThan':{'aws:CurrentTime':'2026-01-01T00:00:00Z'}}", "aws:CurrentTime=2026-12-01T13:00:00Z", false),
                Arguments.of("dateGreaterThan_epochSecondsInPolicy", "{'DateGreaterThan':{'aws:CurrentTime':'1700000000'}}", "aws:CurrentTime=2026-12-01T13:00:00Z", true),
                Arguments.of("dateEquals_epochAgainstIso", "{'DateEquals':{'aws:EpochTime':'2023-11-14T22:13:20Z'}}", "aws:EpochTime=1700000000", true),
                Arguments.of("dateGreaterThanEquals_dateOnly", "{'DateGreaterThanEquals':{'aws:CurrentTime':'2026-12-01'}}", "aws:CurrentTime=2026-12-01T00:00:00Z", true),
                Arguments.of("dateLessThanEquals_offsetIsHonoured", "{'DateLessThanEquals':{'aws:CurrentTime':'2026-12-01T14:00:00+01:00'}}", "aws:CurrentTime=2026-12-01T13:00:00Z", true),
                Arguments.of("dateNotEquals_onMissingKey_matches", "{'DateNotEquals':{'aws:CurrentTime':'2026-12-01'}}", "", true),
                // Bool
                Arguments.of("bool_true_matches", "{'Bool':{'aws:SecureTransport':'true'}}", "aws:SecureTransport=true", true),
                Arguments.of("bool_jsonBoolean_matches", "{'Bool':{'aws:SecureTransport':true}}", "aws:SecureTransport=true", true),
                Arguments.of("bool_false_doesNotMatchTrue", "{'Bool':{'aws:SecureTransport':'false'}}", "aws:SecureTransport=true", false),
                Arguments.of("bool_onMissingKey_doesNotMatch", "{'Bool':{'aws:MultiFactorAuthPresent':'false'}}", "", false),
                Arguments.of("boolIfExists_onMissingKey_matches", "{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}", "", true),
                // Binary
                Arguments.of("binaryEquals_sameBytes_matches", "{'BinaryEquals':{'key:bin':'QmluYXJ5VmFsdWVJbkJhc2U2NA=='}}", "key:bin=QmluYXJ5VmFsdWVJbkJhc2U2NA==", true),
                Arguments.of("binaryEquals_otherBytes_doesNotMatch", "{'BinaryEquals':{'key:bin':'QmluYXJ5VmFsdWVJbkJhc2U2NA=='}}", "key:bin=AAAA", false),
                // IP
                Arguments.of("ipAddress_inCidr_matches", "{'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}}", "aws:SourceIp=203.0.113.77", true),
                Arguments.of("ipAddress_outsideCidr_doesNotMatch", "{'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}}", "aws:SourceIp=203.0.114.1", false),
                Arguments.of("ipAddress_singleAddress", "{'IpAddress':{'aws:SourceIp':'192.0.2.5'}}", "aws:SourceIp=192.0.2.5", true),
                Arguments.of("ipAddress_ipv6Cidr_matches", "{'IpAddress':{'aws:SourceIp':'2001:DB8:1234:5678::/64'}}", "aws:SourceIp=2001:db8:1234:5678:abcd::1", true),
                Arguments.of("ipAddress_ipv6Outside_doesNotMatch", "{'IpAddress':{'aws:SourceIp':'2001:DB8:1234:5678::/64'}}", "aws:SourceIp=2001:db8:1234:5679::1", false),
                Arguments.of("ipAddress_ipv4AgainstIpv6Range_doesNotMatch", "{'IpAddress':{'aws:SourceIp':'::/0'}}", "aws:SourceIp=10.0.0.1", false),
                Arguments.of("ipAddress_mappedIpv4CountsAsIpv4", "{'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}}", "aws:SourceIp=::ffff:10.1.2.3", true),
                Arguments.of("ipAddress_anyOfSeveralRanges", "{'IpAddress':{'aws:SourceIp':['192.0.2.0/24','203.0.113.0/24']}}", "aws:SourceIp=203.0.113.9", true),
                Arguments.of("notIpAddress_outside_matches", "{'NotIpAddress':{'aws:SourceIp':'203.0.113.0/24'}}", "aws:SourceIp=198.51.100.1", true),
                Arguments.of("notIpAddress_inside_doesNotMatch", "{'NotIpAddress':{'aws:SourceIp':'203.0.113.0/24'}}", "aws:SourceIp=203.0.113.1", false),
                Arguments.of("ipAddress_zeroPrefixMatchesAll", "{'IpAddress':{'aws:SourceIp':'0.0.0.0/0'}}", "aws:SourceIp=8.8.8.8", true),
                // ARN
                Arguments.of("arnLike_wildcardInResourcePart", "{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::111122223333:role/app-*'}}", "aws:PrincipalArn=arn:aws:iam::111122223333:role/app-web", true),
                Arguments.of("arnEquals_alsoTakesWildcards", "{'ArnEquals':{'aws:PrincipalArn':'arn:aws:iam::*:role/app-web'}}", "aws:PrincipalArn=arn:aws:iam::111122223333:role/app-web", true),
                Arguments.of("arnLike_wildcardStaysInItsSegment", "{'ArnLike':{'aws:SourceArn':'arn:aws:*:us-east-1:111122223333:x'}}", "aws:SourceArn=arn:aws:s3:eu-west-1:us-east-1:111122223333:x", false),
                Arguments.of("arnLike_isCaseSensitive", "{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::111122223333:role/App-*'}}", "aws:PrincipalArn=arn:aws:iam::111122223333:role/app-web", false),
                Arguments.of("arnNotLike_onMissingKey_matches", "{'ArnNotLike':{'aws:SourceArn':'arn:aws:s3:::*'}}", "", true),
                Arguments.of("arnNotEquals_matchingArn_doesNotMatch", "{'ArnNotEquals':{'aws:PrincipalArn':'arn:aws:iam::111122223333:role/app-web'}}", "aws:PrincipalArn=arn:aws:iam::111122223333:role/app-web", false),
                // Null
                Arguments.of("nullTrue_onMissingKey_matches", "{'Null':{'aws:TokenIssueTime':'true'}}", "", true),
                Arguments.of("nullTrue_onPresentKey_doesNotMatch", "{'Null':{'aws:TokenIssueTime':'true'}}", "aws:TokenIssueTime=2026-12-01T00:00:00Z", false),
                Arguments.of("nullFalse_onPresentKey_matches", "{'Null':{'aws:TokenIssueTime':false}}", "aws:TokenIssueTime=2026-12-01T00:00:00Z", true),
                // Set qualifiers (examples from "Single-valued vs. multivalued context keys")
                Arguments.of("forAllValues_everyRequestValueInPolicySet_matches", "{'ForAllValues:StringEquals':{'aws:TagKeys':['environment','cost-center']}}", "aws:TagKeys=environment", true),
                Arguments.of("forAllValues_oneValueOutside_doesNotMatch", "{'ForAllValues:StringEquals':{'aws:TagKeys':['environment','cost-center']}}", "aws:TagKeys=environment|owner", false),
                Arguments.of("forAllValuesOnMissingKey_matches", "{'ForAllValues:StringEquals':{'aws:TagKeys':['environment']}}", "", true),
                Arguments.of("forAllValuesOnEmptyKey_matches", "{'ForAllValues:StringEquals':{'aws:TagKeys':['environment']}}", "aws:TagKeys=", true),
                Arguments.of("forAnyValue_oneValueInPolicySet_matches", "{'ForAnyValue:StringEquals':{'aws:TagKeys':['environment']}}", "aws:TagKeys=owner|environment", true),
                Arguments.of("forAnyValueOnMissingKey_doesNotMatch", "{'ForAnyValue:StringEquals':{'aws:TagKeys':['environment']}}", "", false),
                Arguments.of("forAnyValueIfExistsOnMissingKey_matches", "{'ForAnyValue:StringEqualsIfExists':{'aws:TagKeys':['environment']}}", "", true),
                Arguments.of("forAnyValueStringNotEquals_someValueOutside_matches", "{'ForAnyValue:StringNotEquals':{'aws:TagKeys':['environment']}}", "aws:TagKeys=environment|owner", true),
                Arguments.of("forAllValuesStringNotEquals_oneValueInside_doesNotMatch", "{'ForAllValues:StringNotEquals':{'aws:TagKeys':['environment']}}", "aws:TagKeys=environment|owner", false),
                Arguments.of("forAllValuesStringLike", "{'ForAllValues:StringLike':{'aws:TagKeys':['team-*']}}", "aws:TagKeys=team-a|team-b", true),
                Arguments.of("noQualifier_multiValuedKey_anyValueMatches", "{'StringEquals':{'aws:TagKeys':'owner'}}", "aws:TagKeys=environment|owner", true),
                // Combination: keys in a block ANDed, blocks ANDed
                Arguments.of("keysInABlock_areAnded", "{'StringEquals':{'aws:username':'alice','aws:PrincipalTag/team':'blue'}}", "aws:username=alice;aws:PrincipalTag/team=red", false),
                Arguments.of("operatorBlocks_areAnded", "{'StringEquals':{'aws:username':'alice'},'Bool':{'aws:SecureTransport':'true'}}", "aws:username=alice;aws:SecureTransport=false", false),
                Arguments.of("allConditionsHold_matches", "{'StringEquals':{'aws:username':'alice'},'Bool':{'aws:SecureTransport':'true'}}", "aws:username=alice;aws:SecureTransport=true", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conditionOperator(String name, String condition, String context, boolean expected) {
        assertThat(applies(condition, context)).as(name).isEqualTo(expected);
    }
}
