package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer access lint}: risky grants in the caller's account. With {@code --fail-on}, exits 1
 * when a finding is at or above that severity (for CI).
 */
@Command(name = "lint", mixinStandardHelpOptions = true, description = "Report risky grants; --fail-on makes findings fail the command.")
final class LintCommand extends ApiVerb {
    static final int FINDINGS = 1;

    enum Level { WARNING, ERROR }

    @Option(names = "--fail-on", description = "Exit 1 when a finding is at or above this severity: warning or error.")
    Level failOn;

    @Override
    int run(ApiClient api, PrintWriter out) {
        JsonNode answer = api.json(AccessCommand.SIGNING_NAME, AccessCommand.TARGET_PREFIX, "LintAccess",
                ApiClient.JSON.createObjectNode());
        if (output == Output.JSON) {
            printJson(out, answer);
        } else {
            Table table = new Table("SEVERITY", "RULE", "SUBJECT", "FINDING");
            for (JsonNode f : answer.path("Findings")) {
                table.row(f.path("Severity").asText(), f.path("RuleId").asText(), f.path("Subject").asText(),
                        f.path("Message").asText());
            }
            if (table.isEmpty()) out.println("No findings.");
            else table.print(out);
            for (JsonNode n : answer.path("RulesNotRun")) {
                out.println("Not run: " + n.path("RuleId").asText() + " (" + n.path("Reason").asText() + ")");
            }
            out.flush();
        }
        if (failOn == null) return 0;
        for (JsonNode f : answer.path("Findings")) {
            if (rank(f.path("Severity").asText()) >= rank(failOn.name())) return FINDINGS;
        }
        return 0;
    }

    private static int rank(String severity) {
        return switch (severity.toUpperCase(Locale.ROOT)) {
            case "ERROR" -> 2;
            case "WARNING" -> 1;
            default -> 0;
        };
    }
}
