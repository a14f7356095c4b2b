package dev.coffer.server.access;

import java.time.Instant;
import java.util.List;

/**
 * What the lint rules need from IAM beyond who may do what: the customer managed policies with
 * how often each is attached, and the access keys with when each was last used. The
 * {@code IdentityDirectory} does not expose these yet; until an implementation is wired in, the
 * rules that need them are reported as not run, never guessed.
 */
public interface IamInventory {

    /** A customer managed policy and the number of users, groups and roles it is attached to. */
    record ManagedPolicy(String accountId, String arn, int attachmentCount) {}

    /**
     * An access key of an IAM user.
     *
     * @param lastUsed when the key last signed a request, or null when it never has
     */
    record AccessKey(String accountId, String userArn, String accessKeyId, boolean active, Instant createdAt,
                     Instant lastUsed) {}

    List<ManagedPolicy> managedPolicies(String accountId);

    List<AccessKey> accessKeys(String accountId);
}
