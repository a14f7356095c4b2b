package dev.coffer.server.authz;

import dev.coffer.server.iam.Principal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The global condition keys AWS puts in every request context, from the caller and the
 * request: {@code aws:PrincipalArn} (for a role session, the role's ARN, as AWS gives it),
 * {@code aws:PrincipalAccount}, {@code aws:PrincipalType}, {@code aws:userid},
 * {@code aws:username} (IAM users only), {@code aws:PrincipalTag/…}, {@code aws:SourceIp},
 * {@code aws:SecureTransport}, {@code aws:CurrentTime}, {@code aws:EpochTime},
 * {@code aws:RequestedRegion}, and for sessions {@code aws:TokenIssueTime},
 * {@code aws:SourceIdentity}, {@code aws:FederatedProvider}. One place builds them, for the
 * pipeline and for the access analyses alike.
 */
final class ContextKeys {
    private ContextKeys() {}

    static Map<String, List<String>> of(Principal principal, String userName, Map<String, String> principalTags,
                                        RequestFacts facts, String resourceAccount) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        Principal.Session session = principal.session();
        boolean roleSession = principal.kind() == Principal.Kind.ASSUMED_ROLE && session != null;
        put(keys, "aws:PrincipalArn", roleSession ? session.issuerArn() : principal.arn());
        put(keys, "aws:PrincipalAccount", principal.accountId());
        put(keys, "aws:PrincipalType", switch (principal.kind()) {
            case USER -> "User";
            case ASSUMED_ROLE -> "AssumedRole";
            case FEDERATED -> "WebIdentityUser";
            case SERVICE -> "Service";
        });
        put(keys, "aws:PrincipalIsAWSService", String.valueOf(principal.kind() == Principal.Kind.SERVICE));
        put(keys, "aws:userid", principal.userId());
        if (principal.kind() == Principal.Kind.USER) put(keys, "aws:username", userName);
        principalTags.forEach((k, v) -> put(keys, "aws:PrincipalTag/" + k, v));
        if (session != null) {
            put(keys, "aws:TokenIssueTime", iso(session.issuedAt()));
            put(keys, "aws:SourceIdentity", session.sourceIdentity());
            put(keys, "aws:FederatedProvider", session.federatedProvider());
        }
        put(keys, "aws:SourceIp", facts.sourceIp());
        if (facts.secureTransport() != null) put(keys, "aws:SecureTransport", facts.secureTransport().toString());
        put(keys, "aws:CurrentTime", iso(facts.time()));
        put(keys, "aws:EpochTime", String.valueOf(facts.time().getEpochSecond()));
        put(keys, "aws:RequestedRegion", facts.region());
        put(keys, "aws:ResourceAccount", resourceAccount);
        return keys;
    }

    private static String iso(Instant time) {
        return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    private static void put(Map<String, List<String>> keys, String key, String value) {
        if (value != null) keys.put(key, List.of(value));
    }
}
