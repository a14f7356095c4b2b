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

    /** Active keys never used, or not used for {@link #STALE_KEY_AGE}: the lint's reading. */
    static List<Finding> staleAccessKeys(IamInventory inventory, String accountId, Instant now) {
        return staleAccessKeys(inventory, accountId, now, STALE_KEY_AGE, Duration.ZERO);
    }

    /**
     * Active keys not used for {@code maxUnused}, and active keys never used that are at least
     * {@code neverUsedGrace} old (the lint flags a never-used key at once; the hygiene report gives a new key
     * the same time to be used as an old one).
     */
    static List<Finding> staleAccessKeys(IamInventory inventory, String accountId, Instant now, Duration maxUnused,
                                         Duration neverUsedGrace) {
        List<Finding> out = new ArrayList<>();
        for (IamInventory.AccessKey key : inventory.accessKeys(accountId)) {
            if (!key.active()) continue;
            if (key.lastUsed() == null) {
                if (key.createdAt() != null && key.createdAt().isAfter(now.minus(neverUsedGrace))) continue;
                out.add(new Finding(AccessAnalysis.RULE_STALE_KEY, Severity.WARNING, key.userArn(), List.of(key.userArn()),
                        "The access key " + key.accessKeyId() + " of " + key.userArn() + " has never been used"
                                + (neverUsedGrace.isZero() || key.createdAt() == null ? "" : " in the " + Duration.between(key.createdAt(), now).toDays()
                                + " days since it was created") + "."));
            } else if (!key.lastUsed().isAfter(now.minus(maxUnused))) {
                out.add(new Finding(AccessAnalysis.RULE_STALE_KEY, Severity.WARNING, key.userArn(), List.of(key.userArn()),
                        "The access key " + key.accessKeyId() + " of " + key.userArn() + " has not been used for "
                                + Duration.between(key.lastUsed(), now).toDays() + " days."));
            }
        }
        return out;
    }
}
