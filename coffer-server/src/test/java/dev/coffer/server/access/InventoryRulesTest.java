package dev.coffer.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.access.AccessAnalysis.Finding;
import dev.coffer.server.access.AccessAnalysis.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lint rules that read an IAM inventory: managed policies attached to nothing, access keys unused 90 days or never. */
class InventoryRulesTest {
    private static final String ACCOUNT = "111122223333";
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private static IamInventory inventory(List<IamInventory.ManagedPolicy> policies, List<IamInventory.AccessKey> keys) {
        return new IamInventory() {
            @Override
            public List<ManagedPolicy> managedPolicies(String accountId) {
                return accountId.equals(ACCOUNT) ? policies : List.of();
            }

            @Override
            public List<AccessKey> accessKeys(String accountId) {
                return accountId.equals(ACCOUNT) ? keys : List.of();
            }
        };
    }

    private static IamInventory.AccessKey key(String user, String id, boolean active, Instant lastUsed) {
        return new IamInventory.AccessKey(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":user/" + user, id, active,
                NOW.minus(Duration.ofDays(400)), lastUsed);
    }

    @Test
    void aManagedPolicyAttachedToNothingIsReported() {
        String unused = "arn:aws:iam::" + ACCOUNT + ":policy/Unused";
        IamInventory inv = inventory(List.of(new IamInventory.ManagedPolicy(ACCOUNT, unused, 0),
                new IamInventory.ManagedPolicy(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":policy/Used", 2)), List.of());
        List<Finding> findings = InventoryRules.unattachedPolicies(inv, ACCOUNT);
        assertThat(findings).extracting(Finding::subject).containsExactly(unused);
        assertThat(findings.getFirst().ruleId()).isEqualTo(AccessAnalysis.RULE_UNATTACHED_POLICY);
        assertThat(findings.getFirst().severity()).isEqualTo(Severity.INFO);
        assertThat(InventoryRules.unattachedPolicies(inv, "444455556666")).isEmpty();
    }

    @Test
    void activeKeysNeverUsedOrUnusedFor90DaysAreReported() {
        IamInventory inv = inventory(List.of(), List.of(
                key("never", "AKIANEVER", true, null),
                key("old", "AKIAOLD", true, NOW.minus(Duration.ofDays(90))),
                key("recent", "AKIARECENT", true, NOW.minus(Duration.ofDays(89))),
                key("inactive", "AKIAINACTIVE", false, null)));
        List<Finding> findings = InventoryRules.staleAccessKeys(inv, ACCOUNT, NOW);
        assertThat(findings).extracting(Finding::message).containsExactly(
                "The access key AKIANEVER of arn:aws:iam::111122223333:user/never has never been used.",
                "The access key AKIAOLD of arn:aws:iam::111122223333:user/old has not been used for 90 days.");
        assertThat(findings).allMatch(f -> f.severity() == Severity.WARNING && f.ruleId().equals(AccessAnalysis.RULE_STALE_KEY));
    }

    @Test
    void theReportGivesANeverUsedKeyAsLongAsAnyOtherBeforeItCounts() {
        IamInventory.AccessKey young = new IamInventory.AccessKey(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":user/new", "AKIANEW", true,
                NOW.minus(Duration.ofDays(29)), null);
        IamInventory.AccessKey old = new IamInventory.AccessKey(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":user/old", "AKIAOLD", true,
                NOW.minus(Duration.ofDays(30)), null);
        IamInventory inv = inventory(List.of(), List.of(young, old));
        assertThat(InventoryRules.staleAccessKeys(inv, ACCOUNT, NOW)).as("the lint: never used is stale at once").hasSize(2);
        List<Finding> report = InventoryRules.staleAccessKeys(inv, ACCOUNT, NOW, Duration.ofDays(30), Duration.ofDays(30));
        assertThat(report).extracting(Finding::message).containsExactly(
                "The access key AKIAOLD of arn:aws:iam::111122223333:user/old has never been used in the 30 days since it was created.");
    }
}
