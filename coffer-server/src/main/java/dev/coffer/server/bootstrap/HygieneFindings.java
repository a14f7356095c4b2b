package dev.coffer.server.bootstrap;

import dev.coffer.server.access.HygieneReport;
import dev.coffer.server.audit.alerts.SecretHygiene;
import dev.coffer.server.store.OrganizationRepository.AccountRow;
import dev.coffer.server.store.Store;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The hygiene report of every active account, as the alerts read it (expiring, expired and overdue secrets). */
final class HygieneFindings implements SecretHygiene {
    private final Store store;
    private final HygieneReport report;

    HygieneFindings(Store store, HygieneReport report) {
        this.store = store;
        this.report = report;
    }

    @Override
    public List<Finding> findings(int reminderDays) {
        List<Finding> all = new ArrayList<>();
        for (String account : activeAccounts()) {
            HygieneReport.Report r = report.run(account, null, HygieneReport.Thresholds.of(null, reminderDays, null));
            Map<String, HygieneReport.InventoryEntry> inventory = new HashMap<>();
            for (HygieneReport.InventoryEntry e : r.inventory()) inventory.put(e.secretArn(), e);
            for (HygieneReport.Finding f : r.findings()) {
                Kind kind = switch (f.ruleId()) {
                    case HygieneReport.RULE_EXPIRY_REMINDER -> Kind.EXPIRING;
                    case HygieneReport.RULE_EXPIRED -> Kind.EXPIRED;
                    case HygieneReport.RULE_ROTATION_OVERDUE -> Kind.ROTATION_OVERDUE;
                    default -> null;
                };
                HygieneReport.InventoryEntry entry = inventory.get(f.subject());
                if (kind == null || entry == null) continue;
                all.add(new Finding(kind, account, f.region(), f.subject(), f.subjectName(),
                        entry.expires() == null ? null : entry.expires().atZone(ZoneOffset.UTC).toLocalDate(),
                        entry.lastRotated(), f.message()));
            }
        }
        return all;
    }

    private List<String> activeAccounts() {
        List<String> ids = new ArrayList<>();
        String after = null;
        while (true) {
            String from = after;
            List<AccountRow> page = store.read(tx -> tx.organization().accounts(from, 100));
            for (AccountRow a : page) if ("ACTIVE".equals(a.status())) ids.add(a.accountId());
            if (page.size() < 100) return ids;
            after = page.getLast().accountId();
        }
    }
}
