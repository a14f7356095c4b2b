package dev.coffer.server.access;

import dev.coffer.server.access.AccessAnalysis.Finding;
import dev.coffer.server.access.AccessAnalysis.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The lint rules that read the IAM inventory rather than ask the decider: unattached policies, stale keys. */
final class InventoryRules {
    static final Duration STALE_KEY_AGE = Duration.ofDays(90);

    private InventoryRules() {}

    static List<Finding> unattachedPolicies(IamInventory inventory, String accountId) {
        List<Finding> out = new ArrayList<>();
        for (IamInventory.ManagedPolicy policy : inventory.managedPolicies(accountId)) {
            if (policy.attachmentCount() == 0) {
                out.add(new Finding(AccessAnalysis.RULE_UNATTACHED_POLICY, Severity.INFO, policy.arn(), List.of(),
                        "The managed policy " + policy.arn() + " is attached to no user, group or role."));
            }
        }
        return out;
    }

    /** Active keys never used, or not used for {@link #STALE_KEY_AGE}. */
    static List<Finding> staleAccessKeys(IamInventory inventory, String accountId, Instant now) {
        List<Finding> out = new ArrayList<>();
        for (IamInventory.AccessKey key : inventory.accessKeys(accountId)) {
            if (!key.active()) continue;
            if (key.lastUsed() == null) {
                out.add(new Finding(AccessAnalysis.RULE_STALE_KEY, Severity.WARNING, key.userArn(), List.of(key.userArn()),
                        "The access key " + key.accessKeyId() + " of " + key.userArn() + " has never been used."));
            } else if (!key.lastUsed().isAfter(now.minus(STALE_KEY_AGE))) {
                out.add(new Finding(AccessAnalysis.RULE_STALE_KEY, Severity.WARNING, key.userArn(), List.of(key.userArn()),
                        "The access key " + key.accessKeyId() + " of " + key.userArn() + " has not been used for "
                                + Duration.between(key.lastUsed(), now).toDays() + " days."));
            }
        }
        return out;
    }
}
