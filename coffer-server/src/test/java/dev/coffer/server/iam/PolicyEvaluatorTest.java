package dev.coffer.server.iam;

import static dev.coffer.server.iam.Fixtures.ACCOUNT;
import static dev.coffer.server.iam.Fixtures.GET;
import static dev.coffer.server.iam.Fixtures.OTHER;
import static dev.coffer.server.iam.Fixtures.OTHER_SECRET;
import static dev.coffer.server.iam.Fixtures.SECRET;
import static dev.coffer.server.iam.Fixtures.allowPolicy;
import static dev.coffer.server.iam.Fixtures.denyPolicy;
import static dev.coffer.server.iam.Fixtures.request;
import static dev.coffer.server.iam.Fixtures.resourcePolicy;
import static dev.coffer.server.iam.Fixtures.roleArn;
import static dev.coffer.server.iam.Fixtures.roleSession;
import static dev.coffer.server.iam.Fixtures.sessionArn;
import static dev.coffer.server.iam.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.iam.Decision.Outcome;
import dev.coffer.server.iam.Decision.PolicyType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * AWS's policy evaluation logic: explicit deny, same-account union of identity and resource
 * policies, cross-account intersection, permissions boundaries and session policies.
 */
class PolicyEvaluatorTest {
    private final PolicyEvaluator evaluator = new PolicyEvaluator();
    private static final Principal ALICE = user(ACCOUNT, "alice");
    private static final Principal APP = roleSession(ACCOUNT, "app", "pod-7");
    private static final Principal FOREIGN = user(OTHER, "mallory");
    private static final Principal FOREIGN_SESSION = roleSession(OTHER, "reader", "s1");
    private static final NamedPolicy ALLOW_GET = allowPolicy(GET, "*");
    private static final NamedPolicy ALLOW_ALL = allowPolicy("*", "*");

    private Decision evaluate(Principal p, String resourceArn, String resourceAccount, List<NamedPolicy> identity, NamedPolicy boundary,
                              List<NamedPolicy> session, NamedPolicy resource) {
        return evaluator.evaluate(request(p, GET, resourceArn, resourceAccount), new PolicySet(identity, boundary, session, resource));
    }

    private Decision same(Principal p, List<NamedPolicy> identity, NamedPolicy boundary, List<NamedPolicy> session, NamedPolicy resource) {
        return evaluate(p, SECRET, ACCOUNT, identity, boundary, session, resource);
    }

    private static String aws(String arn) {
        return "{'AWS':'" + arn + "'}";
    }

    // ---- explicit deny ----

    @Test
    void noPolicies_isImplicitDenyForMissingIdentityPolicy() {
        Decision d = same(ALICE, List.of(), null, List.of(), null);
        assertThat(d.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(d.missing()).isEqualTo(PolicyType.IDENTITY);
        assertThat(d.deciding()).isEmpty();
        assertThat(d.denialMessage(ALICE.arn(), GET, SECRET)).isEqualTo("User: arn:aws:iam::111122223333:user/alice is not authorized to perform: "
                + "secretsmanager:GetSecretValue on resource: " + SECRET + " because no identity-based policy allows the secretsmanager:GetSecretValue action");
    }

    @Test
    void identityAllow_allowsSameAccount_andNamesTheStatement() {
        Decision d = same(ALICE, List.of(ALLOW_GET), null, List.of(), null);
        assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(d.deciding()).containsExactly(new Decision.Match("identity", 0, null, true));
    }

    @Test
    void explicitDenyInIdentityPolicy_beatsAllow() {
        Decision d = same(ALICE, List.of(ALLOW_ALL, denyPolicy("secretsmanager:Get*", "*")), null, List.of(), null);
        assertThat(d.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(d.deniedBy()).isEqualTo(PolicyType.IDENTITY);
        assertThat(d.deciding()).extracting(Decision.Match::source).containsExactly("identity-deny");
        assertThat(d.denialMessage(ALICE.arn(), GET, SECRET)).endsWith("with an explicit deny in an identity-based policy");
    }

    @Test
    void explicitDenyInResourcePolicy_beatsIdentityAllow() {
        Decision d = same(ALICE, List.of(ALLOW_ALL), null, List.of(), resourcePolicy("Deny", "'*'", "secretsmanager:*"));
        assertThat(d.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(d.deniedBy()).isEqualTo(PolicyType.RESOURCE);
        assertThat(d.denialMessage(ALICE.arn(), GET, SECRET)).endsWith("with an explicit deny in a resource-based policy");
    }

    @Test
    void explicitDenyInResourcePolicy_beatsResourceAllowToTheSameUser() {
        NamedPolicy resource = Fixtures.named("resource", Fixtures.resource("{'Version':'2012-10-17','Statement':["
                + "{'Effect':'Allow','Principal':{'AWS':'" + ALICE.arn() + "'},'Action':'secretsmanager:*','Resource':'*'},"
                + "{'Sid':'NoPlainHttp','Effect':'Deny','Principal':'*','Action':'secretsmanager:*','Resource':'*',"
                + "'Condition':{'Bool':{'aws:SecureTransport':'false'}}}]}"));
        Decision d = evaluator.evaluate(request(ALICE, GET, SECRET, ACCOUNT, Fixtures.ctx("aws:SecureTransport", "false")),
                new PolicySet(List.of(), null, List.of(), resource));
        assertThat(d.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(d.deciding()).containsExactly(new Decision.Match("resource", 1, "NoPlainHttp", false));
    }

    @Test
    void explicitDenyInPermissionsBoundary_isExplicit() {
        Decision d = same(ALICE, List.of(ALLOW_ALL), denyPolicy(GET, "*"), List.of(), null);
        assertThat(d.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(d.deniedBy()).isEqualTo(PolicyType.BOUNDARY);
    }

    @Test
    void explicitDenyInSessionPolicy_isExplicit() {
        Decision d = same(APP, List.of(ALLOW_ALL), null, List.of(ALLOW_ALL, denyPolicy("*", SECRET)), null);
        assertThat(d.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(d.deniedBy()).isEqualTo(PolicyType.SESSION);
    }

    @Test
    void denyWithNotResource_deniesEverythingElse() {
        NamedPolicy onlyProd = Fixtures.named("guard", Fixtures.identity("{'Version':'2012-10-17','Statement':{'Effect':'Deny',"
                + "'Action':'secretsmanager:*','NotResource':'arn:aws:secretsmanager:*:*:secret:prod/*'}}"));
        assertThat(same(ALICE, List.of(ALLOW_ALL, onlyProd), null, List.of(), null).allowed()).isTrue();
        Decision other = evaluate(ALICE, "arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/x-AbCdEf", ACCOUNT,
                List.of(ALLOW_ALL, onlyProd), null, List.of(), null);
        assertThat(other.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
    }

    @Test
    void allowWithNotAction_allowsEverythingElse() {
        NamedPolicy notDelete = Fixtures.named("p", Fixtures.identity("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'NotAction':'secretsmanager:Delete*','Resource':'*'}}"));
        assertThat(same(ALICE, List.of(notDelete), null, List.of(), null).allowed()).isTrue();
        assertThat(evaluator.evaluate(request(ALICE, "secretsmanager:DeleteSecret", SECRET, ACCOUNT), Fixtures.identityOnly(notDelete)).allowed())
                .isFalse();
    }

    // ---- the service principal ----

    @Test
    void servicePrincipal_isAllowedWithoutPolicies() {
        assertThat(same(Principal.service(ACCOUNT), List.of(), null, List.of(), null).outcome()).isEqualTo(Outcome.ALLOW);
    }

    // ---- same account: identity OR resource ----

    @Test
    void sameAccount_resourcePolicyNamingTheUser_allowsWithoutIdentityPolicy() {
        Decision d = same(ALICE, List.of(), null, List.of(), resourcePolicy("Allow", aws(ALICE.arn()), GET));
        assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(d.deciding()).extracting(Decision.Match::source).containsExactly("resource");
    }

    @Test
    void sameAccount_resourcePolicyNamingAnotherUser_doesNotAllow() {
        Decision d = same(ALICE, List.of(), null, List.of(), resourcePolicy("Allow", aws("arn:aws:iam::111122223333:user/bob"), GET));
        assertThat(d.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(d.missing()).isEqualTo(PolicyType.IDENTITY);
    }

    @Test
    void sameAccount_resourcePolicyNamingTheRole_allowsItsSessions() {
        assertThat(same(APP, List.of(), null, List.of(), resourcePolicy("Allow", aws(roleArn(ACCOUNT, "app")), GET)).allowed()).isTrue();
    }

    @Test
    void sameAccount_resourcePolicyNamingOnlyTheAccount_delegatesToIdentityPolicies() {
        NamedPolicy resource = resourcePolicy("Allow", aws("arn:aws:iam::" + ACCOUNT + ":root"), GET);
        assertThat(same(ALICE, List.of(), null, List.of(), resource).outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(same(ALICE, List.of(ALLOW_GET), null, List.of(), resource).allowed()).isTrue();
        assertThat(same(ALICE, List.of(), null, List.of(), resourcePolicy("Allow", aws(ACCOUNT), GET)).allowed()).isFalse();
    }

    @Test
    void sameAccount_resourcePolicyForEveryone_allows() {
        assertThat(same(ALICE, List.of(), null, List.of(), resourcePolicy("Allow", "'*'", GET)).allowed()).isTrue();
    }

    @Test
    void resourcePolicyForAnotherAction_doesNotAllow() {
        assertThat(same(ALICE, List.of(), null, List.of(), resourcePolicy("Allow", "'*'", "secretsmanager:PutSecretValue")).allowed()).isFalse();
    }

    // ---- permissions boundaries ----

    @Test
    void boundary_limitsIdentityAllow() {
        Decision d = same(ALICE, List.of(ALLOW_GET), allowPolicy("secretsmanager:List*", "*"), List.of(), null);
        assertThat(d.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(d.missing()).isEqualTo(PolicyType.BOUNDARY);
        assertThat(d.denialMessage(ALICE.arn(), GET, SECRET)).endsWith("because no permissions boundary allows the secretsmanager:GetSecretValue action");
    }

    @Test
    void boundaryAlone_grantsNothing() {
        Decision d = same(ALICE, List.of(), ALLOW_ALL, List.of(), null);
        assertThat(d.missing()).isEqualTo(PolicyType.IDENTITY);
    }

    @Test
    void boundaryAndIdentityBothAllow_allows() {
        assertThat(same(ALICE, List.of(ALLOW_GET), allowPolicy("secretsmanager:*", "*"), List.of(), null).allowed()).isTrue();
    }

    @Test
    void boundary_doesNotLimitResourcePolicyNamingTheUser() {
        NamedPolicy boundary = allowPolicy("secretsmanager:List*", "*");
        assertThat(same(ALICE, List.of(), boundary, List.of(), resourcePolicy("Allow", aws(ALICE.arn()), GET)).allowed()).isTrue();
    }

    @Test
    void boundary_limitsResourcePolicyNamingTheRole() {
        NamedPolicy boundary = allowPolicy("secretsmanager:List*", "*");
        Decision d = same(APP, List.of(), boundary, List.of(), resourcePolicy("Allow", aws(roleArn(ACCOUNT, "app")), GET));
        assertThat(d.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(d.missing()).isEqualTo(PolicyType.BOUNDARY);
    }

    @Test
    void boundary_doesNotLimitResourcePolicyNamingTheSession() {
        NamedPolicy boundary = allowPolicy("secretsmanager:List*", "*");
        assertThat(same(APP, List.of(), boundary, List.of(), resourcePolicy("Allow", aws(sessionArn(ACCOUNT, "app", "pod-7")), GET)).allowed())
                .isTrue();
    }

    // ---- session policies ----

    @Test
    void sessionPolicy_limitsTheRolesIdentityPolicy() {
        Decision d = same(APP, List.of(ALLOW_ALL), null, List.of(allowPolicy("secretsmanager:List*", "*")), null);
        assertThat(d.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(d.missing()).isEqualTo(PolicyType.SESSION);
        assertThat(d.denialMessage(APP.arn(), GET, SECRET)).endsWith("because no session policy allows the secretsmanager:GetSecretValue action");
    }

    @Test
    void sessionPolicy_grantsNothingBeyondTheRole() {
        Decision d = same(APP, List.of(allowPolicy("secretsmanager:List*", "*")), null, List.of(ALLOW_ALL), null);
        assertThat(d.missing()).isEqualTo(PolicyType.IDENTITY);
    }

    @Test
    void anyOfSeveralSessionPolicies_mayAllow() {
        assertThat(same(APP, List.of(ALLOW_ALL), null, List.of(allowPolicy("kms:*", "*"), ALLOW_GET), null).allowed()).isTrue();
    }

    @Test
    void sessionPolicy_doesNotLimitResourcePolicyNamingTheSession() {
        NamedPolicy narrow = allowPolicy("secretsmanager:List*", "*");
        assertThat(same(APP, List.of(), null, List.of(narrow), resourcePolicy("Allow", aws(sessionArn(ACCOUNT, "app", "pod-7")), GET)).allowed())
                .isTrue();
    }

    @Test
    void sessionPolicy_limitsResourcePolicyNamingTheRole() {
        NamedPolicy narrow = allowPolicy("secretsmanager:List*", "*");
        Decision d = same(APP, List.of(), null, List.of(narrow), resourcePolicy("Allow", aws(roleArn(ACCOUNT, "app")), GET));
        assertThat(d.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(d.missing()).isEqualTo(PolicyType.SESSION);
    }

    // ---- cross account ----

    @Test
    void crossAccount_needsBothIdentityAndResourcePolicy() {
        NamedPolicy grant = resourcePolicy("Allow", aws(OTHER), GET);
        assertThat(evaluate(FOREIGN, SECRET, ACCOUNT, List.of(ALLOW_GET), null, List.of(), grant).allowed()).isTrue();
    }

    @Test
    void crossAccount_identityAllowWithoutResourcePolicy_missesTheResourcePolicy() {
        Decision d = evaluate(FOREIGN, SECRET, ACCOUNT, List.of(ALLOW_GET), null, List.of(), null);
        assertThat(d.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(d.missing()).isEqualTo(PolicyType.RESOURCE);
        assertThat(d.denialMessage(FOREIGN.arn(), GET, SECRET)).endsWith("because no resource-based policy allows the secretsmanager:GetSecretValue action");
    }

    @Test
    void crossAccount_resourceAllowWithoutIdentityPolicy_missesTheIdentityPolicy() {
        Decision d = evaluate(FOREIGN, SECRET, ACCOUNT, List.of(), null, List.of(), resourcePolicy("Allow", aws(FOREIGN.arn()), GET));
        assertThat(d.missing()).isEqualTo(PolicyType.IDENTITY);
    }

    @Test
    void crossAccount_resourcePolicyForAnotherAccount_doesNotAllow() {
        Decision d = evaluate(FOREIGN, SECRET, ACCOUNT, List.of(ALLOW_GET), null, List.of(), resourcePolicy("Allow", aws("999988887777"), GET));
        assertThat(d.missing()).isEqualTo(PolicyType.RESOURCE);
    }

    @Test
    void crossAccount_roleSessionNamedByRole_allowedWithBothPolicies() {
        NamedPolicy grant = resourcePolicy("Allow", aws(roleArn(OTHER, "reader")), GET);
        assertThat(evaluate(FOREIGN_SESSION, SECRET, ACCOUNT, List.of(ALLOW_GET), null, List.of(), grant).allowed()).isTrue();
        assertThat(evaluate(FOREIGN_SESSION, SECRET, ACCOUNT, List.of(ALLOW_GET), null, List.of(allowPolicy("kms:*", "*")), grant).missing())
                .isEqualTo(PolicyType.SESSION);
    }

    @Test
    void ownResourceInAnotherAccount_isCrossAccountForTheCaller() {
        Decision d = evaluate(ALICE, OTHER_SECRET, OTHER, List.of(ALLOW_ALL), null, List.of(), null);
        assertThat(d.missing()).isEqualTo(PolicyType.RESOURCE);
    }

    @Test
    void actionOnNoParticularResource_isSameAccount() {
        Decision d = evaluator.evaluate(request(FOREIGN, "secretsmanager:ListSecrets", "*", ACCOUNT), Fixtures.identityOnly(ALLOW_ALL));
        assertThat(d.allowed()).isTrue();
    }

    // ---- principals and NotPrincipal ----

    @Test
    void awsStar_matchesUsersAndSessionsButNotWebIdentities() {
        NamedPolicy everyAws = resourcePolicy("Allow", "{'AWS':'*'}", GET);
        assertThat(same(ALICE, List.of(), null, List.of(), everyAws).allowed()).isTrue();
        assertThat(same(APP, List.of(), null, List.of(), everyAws).allowed()).isTrue();
        assertThat(same(Fixtures.webIdentity("arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"), List.of(), null,
                List.of(), everyAws).allowed()).isFalse();
    }

    @Test
    void denyWithNotPrincipal_exemptsOnlyWhenUserAndAccountAreListed() {
        String bobAndAccount = "{'AWS':['arn:aws:iam::111122223333:user/alice','arn:aws:iam::111122223333:root']}";
        NamedPolicy exemptAlice = Fixtures.named("resource", Fixtures.resource("{'Version':'2012-10-17','Statement':{'Effect':'Deny',"
                + "'NotPrincipal':" + bobAndAccount + ",'Action':'secretsmanager:*','Resource':'*'}}"));
        assertThat(same(ALICE, List.of(ALLOW_ALL), null, List.of(), exemptAlice).allowed()).isTrue();
        assertThat(same(user(ACCOUNT, "bob"), List.of(ALLOW_ALL), null, List.of(), exemptAlice).outcome()).isEqualTo(Outcome.EXPLICIT_DENY);

        NamedPolicy userOnly = Fixtures.named("resource", Fixtures.resource("{'Version':'2012-10-17','Statement':{'Effect':'Deny',"
                + "'NotPrincipal':{'AWS':'arn:aws:iam::111122223333:user/alice'},'Action':'secretsmanager:*','Resource':'*'}}"));
        assertThat(same(ALICE, List.of(ALLOW_ALL), null, List.of(), userOnly).outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
    }

    @Test
    void denyWithNotPrincipal_exemptsARoleSessionWhenSessionRoleAndAccountAreListed() {
        String all = "{'AWS':['" + sessionArn(ACCOUNT, "app", "pod-7") + "','" + roleArn(ACCOUNT, "app") + "','arn:aws:iam::" + ACCOUNT + ":root']}";
        NamedPolicy exempt = Fixtures.named("resource", Fixtures.resource("{'Version':'2012-10-17','Statement':{'Effect':'Deny',"
                + "'NotPrincipal':" + all + ",'Action':'secretsmanager:*','Resource':'*'}}"));
        assertThat(same(APP, List.of(ALLOW_ALL), null, List.of(), exempt).allowed()).isTrue();
        assertThat(same(roleSession(ACCOUNT, "app", "other"), List.of(ALLOW_ALL), null, List.of(), exempt).outcome())
                .isEqualTo(Outcome.EXPLICIT_DENY);
    }

    // ---- trust policies ----

    @Test
    void trustPolicy_federatedPrincipal_allowsWebIdentityWithMatchingClaims() {
        String provider = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
        NamedPolicy trust = Fixtures.named("trust", Fixtures.resource("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'Principal':{'Federated':'" + provider + "'},'Action':'sts:AssumeRoleWithWebIdentity',"
                + "'Condition':{'StringEquals':{'token.actions.githubusercontent.com:aud':'sts.amazonaws.com'},"
                + "'StringLike':{'token.actions.githubusercontent.com:sub':'repo:acme/*'}}}}"));
        Principal web = Fixtures.webIdentity(provider);
        String role = roleArn(ACCOUNT, "deploy");
        AccessRequest ok = request(web, "sts:AssumeRoleWithWebIdentity", role, ACCOUNT,
                Fixtures.ctx("token.actions.githubusercontent.com:aud", "sts.amazonaws.com", "token.actions.githubusercontent.com:sub", "repo:acme/app:ref:refs/heads/main"));
        AccessRequest otherRepo = request(web, "sts:AssumeRoleWithWebIdentity", role, ACCOUNT,
                Fixtures.ctx("token.actions.githubusercontent.com:aud", "sts.amazonaws.com", "token.actions.githubusercontent.com:sub", "repo:evil/app:ref:refs/heads/main"));
        PolicySet set = new PolicySet(List.of(), null, List.of(), trust);
        assertThat(evaluator.evaluate(ok, set).allowed()).isTrue();
        assertThat(evaluator.evaluate(otherRepo, set).allowed()).isFalse();
        assertThat(evaluator.evaluate(request(Fixtures.webIdentity("arn:aws:iam::111122223333:oidc-provider/other"),
                "sts:AssumeRoleWithWebIdentity", role, ACCOUNT), set).allowed()).isFalse();
    }

    @Test
    void trustPolicy_sameAccountRoot_needsTheCallersIdentityPolicy() {
        NamedPolicy trust = Fixtures.named("trust", Fixtures.resource("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'Principal':{'AWS':'arn:aws:iam::111122223333:root'},'Action':['sts:AssumeRole','sts:TagSession']}}"));
        String role = roleArn(ACCOUNT, "admin");
        assertThat(evaluator.evaluate(request(ALICE, "sts:AssumeRole", role, ACCOUNT), new PolicySet(List.of(), null, List.of(), trust)).allowed())
                .isFalse();
        assertThat(evaluator.evaluate(request(ALICE, "sts:AssumeRole", role, ACCOUNT),
                new PolicySet(List.of(allowPolicy("sts:AssumeRole", role)), null, List.of(), trust)).allowed()).isTrue();
    }

    @Test
    void trustPolicy_crossAccountRoot_allowsForeignUserWithIdentityPolicy() {
        NamedPolicy trust = Fixtures.named("trust", Fixtures.resource("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'Principal':{'AWS':'" + OTHER + "'},'Action':'sts:AssumeRole','Condition':{'StringEquals':{'sts:ExternalId':'x-42'}}}}"));
        String role = roleArn(ACCOUNT, "partner");
        PolicySet set = new PolicySet(List.of(allowPolicy("sts:AssumeRole", "*")), null, List.of(), trust);
        assertThat(evaluator.evaluate(request(FOREIGN, "sts:AssumeRole", role, ACCOUNT, Fixtures.ctx("sts:ExternalId", "x-42")), set).allowed())
                .isTrue();
        assertThat(evaluator.evaluate(request(FOREIGN, "sts:AssumeRole", role, ACCOUNT), set).missing()).isEqualTo(PolicyType.RESOURCE);
    }

    @Test
    void statementsDecideInAnyPolicyOfTheList() {
        Decision d = same(ALICE, List.of(allowPolicy("kms:*", "*"), Fixtures.named("second", Fixtures.identity("{'Version':'2012-10-17',"
                + "'Statement':[{'Sid':'A','Effect':'Allow','Action':'s3:*','Resource':'*'},{'Sid':'B','Effect':'Allow','Action':'secretsmanager:Get*','Resource':'*'}]}"))),
                null, List.of(), null);
        assertThat(d.deciding()).containsExactly(new Decision.Match("second", 1, "B", true));
    }

    @Test
    void denyNamingTheAccount_appliesToEveryPrincipalOfIt() {
        Decision d = same(APP, List.of(ALLOW_ALL), null, List.of(), resourcePolicy("Deny", aws(ACCOUNT), "secretsmanager:*"));
        assertThat(d.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(same(APP, List.of(ALLOW_ALL), null, List.of(), resourcePolicy("Deny", aws(OTHER), "secretsmanager:*")).allowed()).isTrue();
    }

    @Test
    void conditionOnAResourcePolicyDeny_decidesWhetherItApplies() {
        NamedPolicy onlyFromVpcRange = Fixtures.named("resource", Fixtures.resource("{'Version':'2012-10-17','Statement':{'Effect':'Deny',"
                + "'Principal':'*','Action':'secretsmanager:GetSecretValue','Resource':'*','Condition':{'NotIpAddress':{'aws:SourceIp':'10.0.0.0/8'}}}}"));
        PolicySet set = new PolicySet(List.of(ALLOW_GET), null, List.of(), onlyFromVpcRange);
        assertThat(evaluator.evaluate(request(ALICE, GET, SECRET, ACCOUNT, Fixtures.ctx("aws:SourceIp", "10.2.3.4")), set).allowed()).isTrue();
        assertThat(evaluator.evaluate(request(ALICE, GET, SECRET, ACCOUNT, Fixtures.ctx("aws:SourceIp", "198.51.100.7")), set).outcome())
                .isEqualTo(Outcome.EXPLICIT_DENY);
    }

    @Test
    void trustPolicy_tagSessionIsItsOwnAction() {
        NamedPolicy trust = Fixtures.named("trust", Fixtures.resource("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'Principal':{'AWS':'" + ALICE.arn() + "'},'Action':'sts:AssumeRole'}}"));
        PolicySet set = new PolicySet(List.of(), null, List.of(), trust);
        String role = roleArn(ACCOUNT, "admin");
        assertThat(evaluator.evaluate(request(ALICE, "sts:AssumeRole", role, ACCOUNT), set).allowed()).isTrue();
        assertThat(evaluator.evaluate(request(ALICE, "sts:TagSession", role, ACCOUNT), set).allowed()).isFalse();
    }

    @Test
    void principalTagVariable_scopesSecretsToTheCallersTeam() {
        NamedPolicy abac = Fixtures.named("abac", Fixtures.identity("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'Action':'secretsmanager:GetSecretValue','Resource':'*',"
                + "'Condition':{'StringEquals':{'secretsmanager:ResourceTag/team':'${aws:PrincipalTag/team}'}}}}"));
        PolicySet set = Fixtures.identityOnly(abac);
        assertThat(evaluator.evaluate(request(APP, GET, SECRET, ACCOUNT,
                Fixtures.ctx("aws:PrincipalTag/team", "blue", "secretsmanager:ResourceTag/team", "blue")), set).allowed()).isTrue();
        assertThat(evaluator.evaluate(request(APP, GET, SECRET, ACCOUNT,
                Fixtures.ctx("aws:PrincipalTag/team", "blue", "secretsmanager:ResourceTag/team", "red")), set).allowed()).isFalse();
        assertThat(evaluator.evaluate(request(APP, GET, SECRET, ACCOUNT,
                Fixtures.ctx("secretsmanager:ResourceTag/team", "blue")), set).allowed()).isFalse();
    }

    @Test
    void documentIsSafeToShareAcrossThreads() throws Exception {
        PolicySet set = Fixtures.identityOnly(ALLOW_GET);
        Thread[] threads = new Thread[4];
        boolean[] ok = new boolean[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int n = t;
            threads[t] = Thread.ofVirtual().start(() -> {
                boolean all = true;
                for (int i = 0; i < 2000; i++) {
                    all &= evaluator.evaluate(request(ALICE, GET, SECRET, ACCOUNT), set).allowed();
                    all &= !evaluator.evaluate(request(ALICE, "secretsmanager:Action" + (i % 50), SECRET, ACCOUNT), set).allowed();
                }
                ok[n] = all;
            });
        }
        for (Thread t : threads) t.join();
        assertThat(ok).containsOnly(true);
    }

    @Test
    void sessionIssuedWithSessionPolicies_butNoneGiven_failsClosed() {
        Principal base = roleSession(ACCOUNT, "app", "narrowed");
        Principal.Session withPolicy = new Principal.Session(base.session().issuerArn(), "narrowed", base.session().issuedAt(),
                base.session().expiresAt(), null, null, "{}", null, null, null);
        Principal narrowed = new Principal(ACCOUNT, base.arn(), base.userId(), base.accessKeyId(), base.kind(), withPolicy);
        Decision d = same(narrowed, List.of(ALLOW_ALL), null, List.of(), null);
        assertThat(d.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(d.missing()).isEqualTo(PolicyType.SESSION);
        assertThat(same(narrowed, List.of(ALLOW_ALL), null, List.of(ALLOW_GET), null).allowed()).isTrue();
    }
}
