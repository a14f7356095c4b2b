package dev.coffer.server.iam;

import static dev.coffer.server.iam.Fixtures.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Laws of the language that hold for any policy, checked on generated policies and requests. */
class PolicyPropertiesTest {
    private static final PolicyEvaluator EVALUATOR = new PolicyEvaluator();
    private static final String BASE = "arn:aws:secretsmanager:us-east-1:111122223333:secret:";

    @Provide
    Arbitrary<String> statement() {
        Arbitrary<String> effect = Arbitraries.of("Allow", "Deny");
        Arbitrary<String> action = Arbitraries.of("secretsmanager:GetSecretValue", "secretsmanager:Get*", "secretsmanager:*", "*",
                "kms:Decrypt", "secretsmanager:List*", "SECRETSMANAGER:getsecretvalue", "secretsmanager:?escribeSecret");
        Arbitrary<String> resource = Arbitraries.of("*", BASE + "prod/db-AbCdEf", "arn:aws:secretsmanager:*:*:secret:prod/*",
                BASE + "dev/*", "arn:aws:secretsmanager:*:*:secret:${aws:username}-*", "arn:aws:secretsmanager:us-east-1:*:secret:*");
        Arbitrary<String> condition = Arbitraries.of("", "{'StringEquals':{'aws:username':'alice'}}", "{'Bool':{'aws:SecureTransport':'true'}}",
                "{'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}}", "{'ForAllValues:StringLike':{'aws:TagKeys':'team-*'}}",
                "{'NumericLessThanIfExists':{'s3:max-keys':'5'}}", "{'StringNotEquals':{'aws:PrincipalTag/team':'red'}}",
                "{'DateGreaterThan':{'aws:CurrentTime':'2020-01-01T00:00:00Z'}}", "{'Null':{'aws:TokenIssueTime':'true'}}",
                "{'ForAnyValue:StringEquals':{'aws:TagKeys':['team-a','owner']},'StringLike':{'aws:username':'a*'}}");
        return Combinators.combine(effect, action, Arbitraries.of(true, false), resource, Arbitraries.of(true, false), condition)
                .as((e, a, notA, r, notR, c) -> "{'Effect':'" + e + "','" + (notA ? "NotAction" : "Action") + "':'" + a + "','"
                        + (notR ? "NotResource" : "Resource") + "':'" + r + "'" + (c.isEmpty() ? "" : ",'Condition':" + c) + "}");
    }

    @Provide
    Arbitrary<AccessRequest> request() {
        Arbitrary<String> action = Arbitraries.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "kms:Decrypt",
                "secretsmanager:ListSecrets");
        Arbitrary<String> resource = Arbitraries.of(BASE + "prod/db-AbCdEf", BASE + "dev/x-AbCdEf", BASE + "alice-AbCdEf", "*");
        Arbitrary<Map<String, List<String>>> ctx = Combinators.combine(
                Arbitraries.of("alice", "bob", ""), Arbitraries.of("true", "false", ""), Arbitraries.of("10.1.2.3", "192.0.2.1", ""),
                Arbitraries.<List<String>>of(List.of(), List.of("team-a"), List.of("team-a", "owner")), Arbitraries.of("red", "blue", ""),
                Arbitraries.of("3", "9", "")).as((user, tls, ip, tags, team, maxKeys) -> {
                    Map<String, List<String>> m = new HashMap<>();
                    if (!user.isEmpty()) m.put("aws:username", List.of(user));
                    if (!tls.isEmpty()) m.put("aws:SecureTransport", List.of(tls));
                    if (!ip.isEmpty()) m.put("aws:SourceIp", List.of(ip));
                    if (!tags.isEmpty()) m.put("aws:TagKeys", tags);
                    if (!team.isEmpty()) m.put("aws:PrincipalTag/team", List.of(team));
                    if (!maxKeys.isEmpty()) m.put("s3:max-keys", List.of(maxKeys));
                    m.put("aws:CurrentTime", List.of("2026-12-01T13:00:00Z"));
                    return m;
                });
        return Combinators.combine(action, resource, ctx)
                .as((a, r, c) -> new AccessRequest(Fixtures.user(ACCOUNT, "alice"), a, r, ACCOUNT, c));
    }

    private static PolicyDocument policy(List<String> statements) {
        return Fixtures.identity("{'Version':'2012-10-17','Statement':[" + String.join(",", statements) + "]}");
    }

    private static Decision evaluate(AccessRequest r, List<String> statements) {
        return EVALUATOR.evaluate(r, Fixtures.identityOnly(new NamedPolicy("p", policy(statements))));
    }

    @Property
    void generatedValidPolicy_alwaysParses(@ForAll @Size(min = 1, max = 8) List<@From("statement") String> statements) {
        PolicyDocument doc = policy(statements);
        assertThat(doc.statements()).hasSize(statements.size());
    }

    @Property
    void addingADenyStatement_neverTurnsADenialIntoAnAllow(@ForAll @Size(min = 1, max = 6) List<@From("statement") String> statements,
                                                           @ForAll("statement") String extra, @ForAll("request") AccessRequest r) {
        String deny = extra.replace("'Effect':'Allow'", "'Effect':'Deny'");
        List<String> more = new ArrayList<>(statements);
        more.add(deny);
        if (!evaluate(r, statements).allowed()) assertThat(evaluate(r, more).allowed()).isFalse();
    }

    @Property
    void reorderingStatements_neverChangesTheOutcome(@ForAll @Size(min = 1, max = 8) List<@From("statement") String> statements,
                                                     @ForAll long seed, @ForAll("request") AccessRequest r) {
        List<String> shuffled = new ArrayList<>(statements);
        Collections.shuffle(shuffled, new Random(seed));
        Decision a = evaluate(r, statements);
        Decision b = evaluate(r, shuffled);
        assertThat(b.outcome()).isEqualTo(a.outcome());
        assertThat(b.missing()).isEqualTo(a.missing());
        assertThat(b.deciding()).hasSameSizeAs(a.deciding());
    }

    @Property
    void splittingStatementsAcrossPolicies_neverChangesTheOutcome(@ForAll @Size(min = 2, max = 8) List<@From("statement") String> statements,
                                                                  @ForAll @IntRange(min = 1, max = 7) int cut, @ForAll("request") AccessRequest r) {
        int at = Math.min(cut, statements.size() - 1);
        Decision whole = evaluate(r, statements);
        Decision split = EVALUATOR.evaluate(r, Fixtures.identityOnly(new NamedPolicy("a", policy(statements.subList(0, at))),
                new NamedPolicy("b", policy(statements.subList(at, statements.size())))));
        assertThat(split.outcome()).isEqualTo(whole.outcome());
    }

    @Property
    void allowAllWithoutDeny_allowsAnySameAccountRequest(@ForAll("request") AccessRequest r) {
        assertThat(evaluate(r, List.of("{'Effect':'Allow','Action':'*:*','Resource':'*'}")).outcome()).isEqualTo(Decision.Outcome.ALLOW);
    }

    @Property
    void boundaryOrSessionPolicy_neverWidensIdentityPermissions(@ForAll @Size(min = 1, max = 4) List<@From("statement") String> identity,
                                                                @ForAll @Size(min = 1, max = 4) List<@From("statement") String> limit,
                                                                @ForAll("request") AccessRequest r) {
        NamedPolicy id = new NamedPolicy("id", policy(identity));
        NamedPolicy lim = new NamedPolicy("limit", policy(limit));
        boolean alone = EVALUATOR.evaluate(r, Fixtures.identityOnly(id)).allowed();
        if (!alone) {
            assertThat(EVALUATOR.evaluate(r, new PolicySet(List.of(id), lim, List.of(), null)).allowed()).isFalse();
            assertThat(EVALUATOR.evaluate(r, new PolicySet(List.of(id), null, List.of(lim), null)).allowed()).isFalse();
        }
    }

    @Property
    void forAllValuesOnAnEmptyOrMissingSet_isTrue(@ForAll("operator") String operator, @ForAll("value") String value, @ForAll boolean empty) {
        String condition = "{'ForAllValues:" + operator + "':{'aws:TagKeys':'" + (operator.startsWith("Date") ? "2026-12-01" : value) + "'}}";
        assertThat(ConditionOperatorTest.applies(condition, empty ? "aws:TagKeys=" : "")).isTrue();
    }

    @Property
    void forAnyValueOnAnEmptyOrMissingSet_isFalse(@ForAll("operator") String operator, @ForAll("value") String value, @ForAll boolean empty) {
        String condition = "{'ForAnyValue:" + operator + "':{'aws:TagKeys':'" + (operator.startsWith("Date") ? "2026-12-01" : value) + "'}}";
        assertThat(ConditionOperatorTest.applies(condition, empty ? "aws:TagKeys=" : "")).isFalse();
    }

    @Provide
    Arbitrary<String> operator() {
        return Arbitraries.of(ConditionOperator.values()).filter(o -> o != ConditionOperator.Null).map(Enum::name);
    }

    @Provide
    Arbitrary<String> value() {
        return Arbitraries.strings().alpha().numeric().withChars('*', '?', '-', '.', '/').ofMinLength(1).ofMaxLength(12);
    }

    @Property
    void addressesInsideACidr_match_andTheNextBlockDoesNot(@ForAll @IntRange(min = 0, max = 255) int a, @ForAll @IntRange(min = 0, max = 255) int b,
                                                          @ForAll @IntRange(min = 0, max = 255) int c, @ForAll @IntRange(min = 8, max = 30) int prefix) {
        long base = ((long) a << 24 | (long) b << 16 | (long) c << 8) & (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        IpRange range = IpRange.parse(dotted(base) + "/" + prefix);
        assertThat(range).isNotNull();
        long size = 1L << (32 - prefix);
        assertThat(range.contains(dotted(base))).isTrue();
        assertThat(range.contains(dotted(base + size - 1))).isTrue();
        if (base + size <= 0xFFFFFFFFL) assertThat(range.contains(dotted(base + size))).isFalse();
        assertThat(range.contains("::ffff:" + dotted(base + 1))).isTrue();
    }

    private static String dotted(long v) {
        return (v >>> 24 & 255) + "." + (v >>> 16 & 255) + "." + (v >>> 8 & 255) + "." + (v & 255);
    }

    @Property
    void starAction_matchesAnyWellFormedAction_caseInsensitively(@ForAll("vendor") String vendor, @ForAll("vendor") String name) {
        PolicyStatement s = Fixtures.identity("{'Statement':{'Effect':'Allow','Action':'" + vendor + ":" + name.substring(0, 1) + "*','Resource':'*'}}")
                .statements().get(0);
        assertThat(s.matchesAction(vendor.toUpperCase() + ":" + name)).isTrue();
        assertThat(s.matchesAction(vendor + "x:" + name)).isFalse();
    }

    @Provide
    Arbitrary<String> vendor() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10);
    }
}
