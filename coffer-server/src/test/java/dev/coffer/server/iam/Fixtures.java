package dev.coffer.server.iam;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Principals, policies and requests for the policy tests. Policies are written with ' for ". */
final class Fixtures {
    static final String ACCOUNT = "111122223333";
    static final String OTHER = "444455556666";
    static final String SECRET = "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:prod/db-AbCdEf";
    static final String OTHER_SECRET = "arn:aws:secretsmanager:us-east-1:" + OTHER + ":secret:shared-XyZ123";
    static final String GET = "secretsmanager:GetSecretValue";

    private Fixtures() {}

    static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static PolicyDocument identity(String singleQuoted) {
        return PolicyDocument.parse(q(singleQuoted), PolicyKind.IDENTITY);
    }

    static PolicyDocument resource(String singleQuoted) {
        return PolicyDocument.parse(q(singleQuoted), PolicyKind.RESOURCE);
    }

    static NamedPolicy named(String source, PolicyDocument doc) {
        return new NamedPolicy(source, doc);
    }

    /** An identity policy of one statement. */
    static NamedPolicy allowPolicy(String action, String resource) {
        return named("identity", identity("{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'" + action
                + "','Resource':'" + resource + "'}}"));
    }

    static NamedPolicy denyPolicy(String action, String resource) {
        return named("identity-deny", identity("{'Version':'2012-10-17','Statement':{'Effect':'Deny','Action':'" + action
                + "','Resource':'" + resource + "'}}"));
    }

    /** A resource policy of one statement naming the principal element given (already JSON, ' for "). */
    static NamedPolicy resourcePolicy(String effect, String principalElement, String action) {
        return named("resource", resource("{'Version':'2012-10-17','Statement':{'Effect':'" + effect + "','Principal':"
                + principalElement + ",'Action':'" + action + "','Resource':'*'}}"));
    }

    static Principal user(String account, String name) {
        return new Principal(account, "arn:aws:iam::" + account + ":user/" + name, "AIDA" + name.toUpperCase(), "AKIA1", Principal.Kind.USER);
    }

    static String roleArn(String account, String role) {
        return "arn:aws:iam::" + account + ":role/" + role;
    }

    static String sessionArn(String account, String role, String session) {
        return "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + session;
    }

    static Principal roleSession(String account, String role, String session) {
        Principal.Session s = new Principal.Session(roleArn(account, role), session, Instant.EPOCH, Instant.EPOCH.plusSeconds(3600),
                Map.of(), Set.of(), null, List.of(), null, null);
        return new Principal(account, sessionArn(account, role, session), "AROA" + role.toUpperCase() + ":" + session, "ASIA1",
                Principal.Kind.ASSUMED_ROLE, s);
    }

    static Principal webIdentity(String providerArn) {
        return new Principal(ACCOUNT, providerArn, providerArn, null, Principal.Kind.FEDERATED);
    }

    static AccessRequest request(Principal p, String action, String resourceArn, String resourceAccount) {
        return new AccessRequest(p, action, resourceArn, resourceAccount, Map.of());
    }

    static AccessRequest request(Principal p, String action, String resourceArn, String resourceAccount, Map<String, List<String>> ctx) {
        return new AccessRequest(p, action, resourceArn, resourceAccount, ctx);
    }

    /** Context from pairs: key, value, key, value … (one value each). */
    static Map<String, List<String>> ctx(String... pairs) {
        Map<String, List<String>> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], List.of(pairs[i + 1]));
        return m;
    }

    static PolicySet identityOnly(NamedPolicy... identity) {
        return new PolicySet(List.of(identity), null, List.of(), null);
    }
}
