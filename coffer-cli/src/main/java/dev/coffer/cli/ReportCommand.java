package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code coffer report}: the hygiene report of the caller's account (HygieneReport on the Coffer access
 * service). Reports on every region unless {@code --region} is given, which then both signs the call and
 * narrows the report. With {@code --fail-on}, exits 1 when a finding of one of those rules (or any) exists,
 * so CI can gate on it.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Hygiene report: secrets' inventory (owner, classification, environment, rotation), unread and "
                + "unrotated secrets, expiring secrets, unused access keys, principals reading several environments.")
final class ReportCommand extends ApiVerb {
    static final int FINDINGS = 1;
    static final String ANY = "any";

    @Option(names = "--unread-days", paramLabel = "DAYS", description = "Report secrets unread this long (1-3650; default 90).")
    Integer unreadDays;

    @Option(names = "--expiry-reminder-days", paramLabel = "DAYS",
            description = "Remind this long before an expires tag, for secrets not rotated automatically (0-365; default 30).")
    Integer expiryReminderDays;

    @Option(names = "--unused-key-days", paramLabel = "DAYS", description = "Report access keys unused this long (1-3650; default 90).")
    Integer unusedKeyDays;

    @Option(names = "--fail-on", split = ",", paramLabel = "RULE",
            description = "Exit 1 when there are findings of these rules (comma-separated), or of any rule: any.")
    List<String> failOn;

    @Option(names = "--inventory", description = "Print every secret's inventory instead of the findings (table and csv).")
    boolean inventory;

    @Override
    Set<Output> outputs() {
        return EnumSet.allOf(Output.class);
    }

    @Override
    int run(ApiClient api, PrintWriter out) {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        if (spec.commandLine().getParseResult().hasMatchedOption("--region")) body.put("Region", api.region());
        if (unreadDays != null) body.put("UnreadDays", unreadDays);
        if (expiryReminderDays != null) body.put("ExpiryReminderDays", expiryReminderDays);
        if (unusedKeyDays != null) body.put("UnusedKeyDays", unusedKeyDays);
        JsonNode answer = api.json(AccessCommand.SIGNING_NAME, AccessCommand.TARGET_PREFIX, "HygieneReport", body);
        Set<String> failing = failingRules(answer.path("Rules"));

        switch (output) {
            case JSON -> printJson(out, answer);
            case CSV -> {
                if (inventory) inventoryCsv(out, answer);
                else findingsCsv(out, answer);
            }
            case TABLE -> {
                if (inventory) inventoryTable(out, answer);
                else findingsTable(out, answer);
            }
        }
        out.flush();
        if (failing.isEmpty()) return 0;
        for (JsonNode f : answer.path("Findings")) {
            if (failing.contains(ANY) || failing.contains(f.path("RuleId").asText())) return FINDINGS;
        }
        return 0;
    }

    /** The rules --fail-on names, checked against those the server runs: a misspelt rule must not pass CI silently. */
    private Set<String> failingRules(JsonNode known) {
        Set<String> rules = new LinkedHashSet<>();
        if (failOn == null) return rules;
        List<String> knownRules = new ArrayList<>();
        known.forEach(r -> knownRules.add(r.asText()));
        for (String rule : failOn) {
            String r = rule.strip().toLowerCase(Locale.ROOT);
            if (r.isEmpty()) continue;
            if (!r.equals(ANY) && !knownRules.contains(r)) {
                throw new ParameterException(spec.commandLine(), "Unknown rule in --fail-on: " + rule + " (rules: "
                        + String.join(", ", knownRules) + ", or any)");
            }
            rules.add(r);
        }
        return rules;
    }

    private static void findingsTable(PrintWriter out, JsonNode answer) {
        Table table = new Table("SEVERITY", "RULE", "REGION", "SUBJECT", "FINDING");
        int errors = 0;
        int warnings = 0;
        for (JsonNode f : answer.path("Findings")) {
            String severity = f.path("Severity").asText();
            if (severity.equals("ERROR")) errors++;
            if (severity.equals("WARNING")) warnings++;
            table.row(severity, f.path("RuleId").asText(), f.path("Region").asText("-"), subject(f), f.path("Message").asText());
        }
        int count = answer.path("Findings").size();
        if (table.isEmpty()) {
            out.println("No findings.");
        } else {
            table.print(out);
            out.println();
            out.println(count + (count == 1 ? " finding" : " findings") + ": " + errors + " error" + (errors == 1 ? "" : "s")
                    + ", " + warnings + " warning" + (warnings == 1 ? "" : "s") + ", " + (count - errors - warnings) + " info.");
        }
        for (JsonNode n : answer.path("RulesNotRun")) {
            out.println("Not run: " + n.path("RuleId").asText() + " (" + n.path("Reason").asText() + ")");
        }
    }

    private static void findingsCsv(PrintWriter out, JsonNode answer) {
        Csv csv = new Csv(out, "severity", "rule", "subject", "name", "region", "finding");
        for (JsonNode f : answer.path("Findings")) {
            csv.row(f.path("Severity").asText(), f.path("RuleId").asText(), f.path("Subject").asText(),
                    f.path("SubjectName").asText(""), f.path("Region").asText(""), f.path("Message").asText());
        }
        csv.flush();
    }

    private static void inventoryTable(PrintWriter out, JsonNode answer) {
        Table table = new Table("SECRET", "REGION", "OWNER", "CLASSIFICATION", "ENVIRONMENT", "ROTATION", "LAST READ",
                "LAST ROTATED", "EXPIRES");
        for (JsonNode e : answer.path("Inventory")) {
            table.row(e.path("SecretName").asText(), e.path("Region").asText(), e.path("Owner").asText("-"),
                    e.path("Classification").asText("-"), e.path("Environment").asText("-"), rotation(e),
                    date(e.path("LastAccessedDate")), date(e.path("LastRotatedDate")), date(e.path("ExpirationDate")));
        }
        if (table.isEmpty()) out.println("No secrets.");
        else table.print(out);
    }

    private static void inventoryCsv(PrintWriter out, JsonNode answer) {
        Csv csv = new Csv(out, "arn", "name", "region", "owner", "classification", "environment", "rotation_frequency_hours",
                "rotation_source", "last_accessed", "last_rotated", "expires");
        for (JsonNode e : answer.path("Inventory")) {
            csv.row(e.path("SecretARN").asText(), e.path("SecretName").asText(), e.path("Region").asText(),
                    e.path("Owner").asText(""), e.path("Classification").asText(""), e.path("Environment").asText(""),
                    e.path("RotationFrequencyHours").asText(""), e.path("RotationSource").asText(""),
                    instant(e.path("LastAccessedDate")), instant(e.path("LastRotatedDate")), instant(e.path("ExpirationDate")));
        }
        csv.flush();
    }

    /** A secret by its name (its region is a column of its own), a principal by its ARN. */
    private static String subject(JsonNode finding) {
        return finding.has("Region") ? finding.path("SubjectName").asText() : finding.path("Subject").asText();
    }

    private static String rotation(JsonNode entry) {
        if (!entry.has("RotationFrequencyHours")) return "-";
        long hours = entry.path("RotationFrequencyHours").asLong();
        String every = hours % 24 == 0 ? hours / 24 + "d" : hours + "h";
        return every + ("AutomaticRotation".equals(entry.path("RotationSource").asText()) ? " (automatic)" : " (by hand)");
    }

    private static String date(JsonNode epochSeconds) {
        return epochSeconds.isNumber() ? toInstant(epochSeconds).atOffset(ZoneOffset.UTC).toLocalDate().toString() : "-";
    }

    private static String instant(JsonNode epochSeconds) {
        return epochSeconds.isNumber() ? toInstant(epochSeconds).toString() : "";
    }

    private static Instant toInstant(JsonNode epochSeconds) {
        return Instant.ofEpochMilli(Math.round(epochSeconds.asDouble() * 1000));
    }
}
