package dev.coffer.server.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.iam.MalformedPolicyException;
import dev.coffer.server.iam.PolicyDocument;
import dev.coffer.server.iam.PolicyKind;
import dev.coffer.crypto.Hashing;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.secrets.SecretsManagerMessages.ArnAndName;
import dev.coffer.server.secrets.SecretsManagerMessages.GetResourcePolicyResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.PutResourcePolicyRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.SecretIdRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.ValidateResourcePolicyRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.ValidateResourcePolicyResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.ValidationErrorsEntry;
import dev.coffer.server.store.SecretRow;
import dev.coffer.server.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resource policies on secrets: stored and checked for shape and for public access
 * (BlockPublicPolicy). Evaluating them on requests arrives with the IAM policy evaluator;
 * until then they are stored faithfully and returned as given.
 */
public final class ResourcePolicies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Logger log = LoggerFactory.getLogger(ResourcePolicies.class);
    private static final Set<String> reported = ConcurrentHashMap.newKeySet();

    private final Store store;
    private final Keyring keyring;
    private final Clock clock;

    ResourcePolicies(Store store, Keyring keyring, Clock clock) {
        this.store = store;
        this.keyring = keyring;
        this.clock = clock;
    }

    /**
     * The MAC of a secret's resource policy, bound to the secret (account, id, ARN), so an edited
     * policy, or one moved to another secret, no longer verifies. A deleted policy has the MAC of null.
     */
    public static byte[] mac(Keyring keyring, SecretRow s, String policy) {
        return keyring.mac("secret-resource-policy", Keyring.canonicalRow(s.accountId(), s.secretId(), s.arn(), policy));
    }

    /**
     * Stands in for a resource policy whose MAC does not verify. Dropping the policy would lift any
     * Deny it held (widening access); obeying it would obey whoever edited the database. So the secret
     * is locked instead: every action is denied to everyone except reading and replacing its policy
     * (GetResourcePolicy answers with this text, so the owner sees why), until an administrator puts
     * or deletes the policy through the API, which seals it afresh.
     */
    static final String INTEGRITY_LOCKDOWN = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"
            + "\"CofferIntegrityLockdown\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"NotAction\":["
            + "\"secretsmanager:DescribeSecret\",\"secretsmanager:GetResourcePolicy\",\"secretsmanager:PutResourcePolicy\","
            + "\"secretsmanager:DeleteResourcePolicy\"],\"Resource\":\"*\"}]}";

    /**
     * The secret's resource policy if its MAC verifies; otherwise {@link #INTEGRITY_LOCKDOWN} — the
     * row is refused, not obeyed — and an integrity error is logged once (the secret's ARN, never the policy).
     */
    static String verifiedPolicy(Keyring keyring, SecretRow s, byte[] mac) {
        if (s.resourcePolicy() == null && mac == null) return null;
        if (mac != null && Hashing.constantTimeEquals(mac(keyring, s, s.resourcePolicy()), mac)) return s.resourcePolicy();
        if (reported.add(s.arn())) {
            log.error("integrity error: the resource policy of secret {} does not match its MAC; the secret is locked "
                    + "until its policy is put or deleted again", s.arn());
        }
        return INTEGRITY_LOCKDOWN;
    }


    ArnAndName put(CallContext ctx, PutResourcePolicyRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        List<ValidationErrorsEntry> problems = check(req.ResourcePolicy());
        problems.stream().filter(p -> p.CheckName().equals("POLICY_SYNTAX")).findFirst().ifPresent(p -> {
            throw new ServiceException(ErrorCode.MalformedPolicyDocumentException, p.ErrorMessage());
        });
        boolean block = Boolean.TRUE.equals(req.BlockPublicPolicy()); // AWS: by default, public policies aren't blocked
        if (block && problems.stream().anyMatch(p -> p.CheckName().equals("PUBLIC_ACCESS"))) {
            throw new ServiceException(ErrorCode.PublicPolicyException,
                    "This resource policy will grant public access to the secret.");
        }
        return store.write(tx -> {
            SecretRow s = SecretLookup.resolve(tx, ctx, req.SecretId());
            if (s.isReplica()) throw SecretErrors.replicaIsReadOnly();
            if (s.isScheduledForDeletion()) throw SecretErrors.markedForDeletion();
            tx.secrets().update(s.withResourcePolicy(req.ResourcePolicy(), clock.millis()));
            tx.secrets().setResourcePolicyMac(s.secretId(), mac(keyring, s, req.ResourcePolicy()));
            return new ArnAndName(s.arn(), s.name());
        });
    }

    GetResourcePolicyResponse get(CallContext ctx, SecretIdRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        return store.read(tx -> {
            SecretRow s = SecretLookup.resolve(tx, ctx, req.SecretId());
            // The policy in force: what was put, or the lockdown standing in for a policy edited in the database.
            return new GetResourcePolicyResponse(s.arn(), s.name(),
                    verifiedPolicy(keyring, s, tx.secrets().resourcePolicyMac(s.secretId())));
        });
    }

    ArnAndName delete(CallContext ctx, SecretIdRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        return store.write(tx -> {
            SecretRow s = SecretLookup.resolve(tx, ctx, req.SecretId());
            if (s.isReplica()) throw SecretErrors.replicaIsReadOnly();
            if (s.resourcePolicy() != null) {
                tx.secrets().update(s.withResourcePolicy(null, clock.millis()));
                tx.secrets().setResourcePolicyMac(s.secretId(), mac(keyring, s, null));
            }
            return new ArnAndName(s.arn(), s.name());
        });
    }

    ValidateResourcePolicyResponse validate(CallContext ctx, ValidateResourcePolicyRequest req) {
        if (req.SecretId() != null) {
            SecretNames.requireValidSecretId(req.SecretId());
            store.read(tx -> SecretLookup.resolve(tx, ctx, req.SecretId()));
        }
        List<ValidationErrorsEntry> problems = check(req.ResourcePolicy());
        return new ValidateResourcePolicyResponse(problems.isEmpty(), problems);
    }

    /**
     * The findings ValidateResourcePolicy reports and PutResourcePolicy acts on: IAM's grammar, checked
     * by the same parser that compiles policies for evaluation (so a policy that is accepted is one the
     * evaluator understands), then the public-access check.
     */
    static List<ValidationErrorsEntry> check(String document) {
        List<ValidationErrorsEntry> problems = new ArrayList<>();
        try {
            PolicyDocument.parse(document, PolicyKind.RESOURCE);
        } catch (MalformedPolicyException e) {
            problems.add(new ValidationErrorsEntry("POLICY_SYNTAX",
                    "This resource policy contains a syntax error: " + e.getMessage()));
            return problems;
        }
        JsonNode policy;
        try {
            policy = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a policy the parser accepted is not JSON", e);
        }
        JsonNode statements = policy.get("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) statements.forEach(list::add);
        else list.add(statements);
        for (JsonNode st : list) {
            if (st.path("Effect").asText("").equals("Allow") && grantsEveryone(st.get("Principal")) && !st.has("Condition")) {
                problems.add(new ValidationErrorsEntry("PUBLIC_ACCESS",
                        "This resource policy will grant public access to the secret."));
            }
        }
        return problems;
    }

    private static boolean grantsEveryone(JsonNode principal) {
        if (principal == null) return false;
        if (principal.isTextual()) return principal.asText().equals("*");
        JsonNode aws = principal.get("AWS");
        if (aws == null) return false;
        if (aws.isTextual()) return aws.asText().equals("*");
        for (JsonNode p : aws) if (p.asText().equals("*")) return true;
        return false;
    }
}
