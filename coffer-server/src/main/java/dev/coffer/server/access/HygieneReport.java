package dev.coffer.server.access;

import dev.coffer.server.access.AccessAnalysis.RuleNotRun;
import dev.coffer.server.access.AccessAnalysis.Severity;
import dev.coffer.server.secrets.SecretFacts;
import dev.coffer.server.secrets.SecretsManagerService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hygiene report of one account: the inventory every secret should carry (owner, classification,
 * environment, rotation frequency; tag conventions in {@link InventoryTags}) and findings about what has
 * drifted — missing or unreadable inventory, secrets nobody reads, rotations overdue, hand-rotated secrets
 * near or past their expiry, access keys nobody uses, principals that read across environments.
 *
 * <p>It reads only what the store already keeps: a secret's LastAccessedDate (day granularity, the same
 * data DescribeSecret answers with), its rotation settings and dates, its current version's creation, and
 * an access key's last use. It never reads a value. It takes no request and no caller, so a scheduled job
 * (the alerts to come) can run it as it is. Secrets scheduled for deletion are left out; a replica is not a
 * subject of its own (its settings are its primary's) but a read of a replica is a read of its primary.
 */
public final class HygieneReport {
    public static final String RULE_MISSING_INVENTORY = "missing-inventory";
    public static final String RULE_INVALID_INVENTORY = "invalid-inventory";
    public static final String RULE_UNREAD = "unread-secret";
    public static final String RULE_ROTATION_OVERDUE = "rotation-overdue";
    public static final String RULE_EXPIRY_REMINDER = "expiry-reminder";
    public static final String RULE_EXPIRED = "expired-secret";
    /** Every rule the report runs, in the order findings of one severity are listed. */
    public static final List<String> RULES = List.of(RULE_EXPIRED, RULE_ROTATION_OVERDUE, RULE_EXPIRY_REMINDER,
            RULE_MISSING_INVENTORY, RULE_INVALID_INVENTORY, RULE_UNREAD, AccessAnalysis.RULE_STALE_KEY,
            AccessAnalysis.RULE_MULTI_ENVIRONMENT);

    /**
     * How long is too long, in days; each has the bounds the service model states.
     *
     * @param unreadDays         a secret unread this long is reported (1–3650, default 90)
     * @param expiryReminderDays a hand-rotated secret is reported this long before its expiry (0–365, default 30)
     * @param unusedKeyDays      an access key unused this long is reported (1–3650, default 90)
     */
    public record Thresholds(int unreadDays, int expiryReminderDays, int unusedKeyDays) {
        public static final Thresholds DEFAULT = new Thresholds(90, 30, 90);

        public Thresholds {
            if (unreadDays < 1 || unreadDays > 3650 || expiryReminderDays < 0 || expiryReminderDays > 365
                    || unusedKeyDays < 1 || unusedKeyDays > 3650) {
                throw new IllegalArgumentException("threshold out of bounds: " + unreadDays + ", " + expiryReminderDays
                        + ", " + unusedKeyDays);
            }
        }

        /** The given thresholds, the defaults for those not given. */
        public static Thresholds of(Integer unreadDays, Integer expiryReminderDays, Integer unusedKeyDays) {
            return new Thresholds(unreadDays != null ? unreadDays : DEFAULT.unreadDays,
                    expiryReminderDays != null ? expiryReminderDays : DEFAULT.expiryReminderDays,
                    unusedKeyDays != null ? unusedKeyDays : DEFAULT.unusedKeyDays);
        }
    }

    /** Where a secret's rotation frequency comes from. */
    public enum RotationSource { AUTOMATIC_ROTATION, ROTATION_DAYS_TAG }

    /**
     * What the report knows of one secret; null where it knows nothing.
     *
     * @param lastRead    the day it (or one of its replicas) was last read
     * @param lastRotated when its current value was made: its last rotation or its current version's creation,
     *                    whichever is later (a value put by hand is a rotation by hand)
     */
    public record InventoryEntry(String secretArn, String name, String region, String owner, String classification,
                                 String environment, Duration rotationFrequency, RotationSource rotationSource,
                                 Instant lastRead, Instant lastRotated, Instant expires) {}

    /**
     * One finding: a rule broken by one secret or principal, in one sentence.
     *
     * @param subject     the secret's or principal's ARN
     * @param subjectName the secret's name, or the principal's
     * @param region      the secret's region; null for principals (IAM is global)
     */
    public record Finding(String ruleId, Severity severity, String subject, String subjectName, String region,
                          String message) {}

    /** @param region the one region reported on, or null for all */
    public record Report(String accountId, String region, Instant generatedAt, Thresholds thresholds, List<String> rules,
                         List<InventoryEntry> inventory, List<Finding> findings, List<RuleNotRun> rulesNotRun) {}

    private final SecretsManagerService secrets;
    private final AccessAnalysis analysis;
    private final IamInventory iam;
    private final Clock clock;

    /** @param iam access keys and their last use; null when none is available (stale-access-key is then not run) */
    public HygieneReport(SecretsManagerService secrets, AccessAnalysis analysis, IamInventory iam, Clock clock) {
        this.secrets = secrets;
        this.analysis = analysis;
        this.iam = iam;
        this.clock = clock;
    }

    /** The report of {@code accountId}'s secrets in {@code region} (null: every region) and of its principals. */
    public Report run(String accountId, String region, Thresholds thresholds) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<SecretFacts> all = secrets.factsOf(accountId);

        Map<String, Instant> lastRead = new HashMap<>(); // a secret's ARN → its or its replicas' last read
        for (SecretFacts f : all) {
            String owner = f.isReplica() ? f.primaryArn() : f.secret().arn();
            if (owner != null) lastRead.merge(owner, orMin(f.lastAccessed()), HygieneReport::later);
        }

        List<InventoryEntry> inventory = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (SecretFacts f : all) {
            if (f.isReplica() || f.scheduledForDeletion()) continue;
            if (region != null && !region.equals(f.secret().region())) continue;
            Instant read = lastRead.get(f.secret().arn());
            judge(f, read == Instant.MIN ? null : read, thresholds, now, today, inventory, findings);
        }

        List<RuleNotRun> notRun = new ArrayList<>();
        if (iam == null) {
            notRun.add(new RuleNotRun(AccessAnalysis.RULE_STALE_KEY, "no IAM inventory is available to this server"));
        } else {
            Duration unused = Duration.ofDays(thresholds.unusedKeyDays());
            for (AccessAnalysis.Finding f : InventoryRules.staleAccessKeys(iam, accountId, now, unused, unused)) {
                findings.add(new Finding(f.ruleId(), f.severity(), f.subject(), lastSegment(f.subject()), null, f.message()));
            }
        }
        for (AccessAnalysis.Finding f : analysis.multiEnvironmentReaders(accountId, region)) {
            findings.add(new Finding(f.ruleId(), f.severity(), f.subject(), lastSegment(f.subject()), null, f.message()));
        }

        inventory.sort(Comparator.comparing(InventoryEntry::region).thenComparing(InventoryEntry::name));
        findings.sort(Comparator.comparing(Finding::severity).reversed()
                .thenComparing(f -> RULES.indexOf(f.ruleId()))
                .thenComparing(Finding::subjectName, Comparator.nullsLast(Comparator.naturalOrder())));
        return new Report(accountId, region, now, thresholds, RULES, List.copyOf(inventory), List.copyOf(findings),
                List.copyOf(notRun));
    }

    private static void judge(SecretFacts f, Instant lastRead, Thresholds thresholds, Instant now, LocalDate today,
                              List<InventoryEntry> inventory, List<Finding> findings) {
        String name = f.secret().name();
        InventoryTags.Read tags = InventoryTags.read(f.secret().tags());
        List<String> problems = new ArrayList<>(tags.problems());
        String environment = AccessAnalysis.environment(f.secret()).orElse(null);

        Duration frequency = null;
        RotationSource source = null;
        if (f.rotationEnabled() && f.rotationRules() != null) {
            Optional<Duration> automatic = RotationFrequency.of(f.rotationRules(), today);
            if (automatic.isPresent()) {
                frequency = automatic.get();
                source = RotationSource.AUTOMATIC_ROTATION;
            } else {
                problems.add("its rotation schedule " + schedule(f) + " gives no frequency Coffer can read");
            }
        }
        if (frequency == null && tags.rotationDays() != null) {
            frequency = Duration.ofDays(tags.rotationDays());
            source = RotationSource.ROTATION_DAYS_TAG;
        }
        Instant lastRotated = later(f.lastRotated(), f.currentVersionCreated());
        inventory.add(new InventoryEntry(f.secret().arn(), name, f.secret().region(), tags.owner(), tags.classification(),
                environment, frequency, source, lastRead, lastRotated, tags.expires()));

        List<String> missing = new ArrayList<>();
        if (tags.owner() == null) missing.add("owner");
        if (InventoryTags.value(f.secret().tags(), InventoryTags.CLASSIFICATION).isEmpty()) missing.add("classification");
        if (environment == null) missing.add("environment");
        if (frequency == null && problems.size() == tags.problems().size()
                && InventoryTags.value(f.secret().tags(), InventoryTags.ROTATION_DAYS).isEmpty()) {
            missing.add("rotation frequency");
        }
        if (!missing.isEmpty()) {
            findings.add(secretFinding(RULE_MISSING_INVENTORY, Severity.WARNING, f,
                    "The secret " + name + " has no " + joined(missing) + "."));
        }
        if (!problems.isEmpty()) {
            findings.add(secretFinding(RULE_INVALID_INVENTORY, Severity.WARNING, f,
                    "The secret " + name + " has inventory Coffer cannot read: " + String.join("; ", problems) + "."));
        }

        long unreadDays = ChronoUnit.DAYS.between(date(lastRead != null ? lastRead : f.createdAt()), today);
        if (unreadDays >= thresholds.unreadDays()) {
            findings.add(secretFinding(RULE_UNREAD, Severity.INFO, f, lastRead == null
                    ? "The secret " + name + " has never been read in the " + days(unreadDays) + " since it was created."
                    : "The secret " + name + " has not been read since " + date(lastRead) + " (" + days(unreadDays) + ")."));
        }

        if (frequency != null) {
            Instant since = lastRotated != null ? lastRotated : f.createdAt();
            Duration age = Duration.between(since, now);
            if (age.compareTo(frequency) > 0) {
                String policy = source == RotationSource.AUTOMATIC_ROTATION
                        ? "its rotation schedule " + schedule(f) + " asks for " + every(frequency)
                        : "its rotation-days tag asks for " + every(frequency);
                findings.add(secretFinding(RULE_ROTATION_OVERDUE, Severity.ERROR, f, "The current value of the secret "
                        + name + " was made " + ago(age) + " (" + date(since) + ") but " + policy + "."));
            }
        }

        if (!f.rotationEnabled() && tags.expires() != null) {
            LocalDate expiry = date(tags.expires());
            long left = ChronoUnit.DAYS.between(today, expiry);
            if (!now.isBefore(tags.expires())) {
                findings.add(secretFinding(RULE_EXPIRED, Severity.ERROR, f, "The secret " + name + " expired on " + expiry
                        + (left < 0 ? " (" + days(-left) + " ago)" : "") + " and is not rotated automatically: replace it now."));
            } else if (left <= thresholds.expiryReminderDays()) {
                findings.add(secretFinding(RULE_EXPIRY_REMINDER, Severity.WARNING, f, "The secret " + name + " expires on "
                        + expiry + (left == 0 ? " (today)" : " (in " + days(left) + ")")
                        + " and is not rotated automatically: replace it before then."));
            }
        }
    }

    private static Finding secretFinding(String rule, Severity severity, SecretFacts f, String message) {
        return new Finding(rule, severity, f.secret().arn(), f.secret().name(), f.secret().region(), message);
    }

    private static String schedule(SecretFacts f) {
        var rules = f.rotationRules();
        if (rules == null) return "(none)";
        if (rules.ScheduleExpression() != null) return rules.ScheduleExpression();
        return "AutomaticallyAfterDays=" + rules.AutomaticallyAfterDays();
    }

    private static String every(Duration frequency) {
        long hours = frequency.toHours();
        return hours % 24 == 0 ? "every " + days(hours / 24) : "every " + hours + (hours == 1 ? " hour" : " hours");
    }

    private static String ago(Duration age) {
        return age.toDays() >= 1 ? days(age.toDays()) + " ago" : age.toHours() + " hours ago";
    }

    static String days(long n) {
        return n + (n == 1 ? " day" : " days");
    }

    private static String joined(List<String> items) {
        if (items.size() == 1) return items.getFirst();
        return String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.getLast();
    }

    private static LocalDate date(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    private static Instant orMin(Instant at) {
        return at == null ? Instant.MIN : at;
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }

    private static String lastSegment(String arn) {
        return arn == null ? null : arn.substring(arn.lastIndexOf('/') + 1);
    }
}
