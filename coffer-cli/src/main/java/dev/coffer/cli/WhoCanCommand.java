package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer access who-can SECRET}: every user and role allowed an action on a secret, and why. */
@Command(name = "who-can", mixinStandardHelpOptions = true,
        description = "List the users and roles allowed an action on a secret, with the statements that allow it.")
final class WhoCanCommand extends ApiVerb {
    @Parameters(paramLabel = "SECRET", description = "The secret's name or ARN.")
    String secret;

    @Option(names = "--action", defaultValue = "secretsmanager:GetSecretValue", description = "IAM action (default: ${DEFAULT-VALUE}).")
    String action;

    @Override
    int run(ApiClient api, PrintWriter out) {
        ObjectNode body = ApiClient.JSON.createObjectNode().put("SecretId", secret).put("Action", action);
        JsonNode answer = api.json(AccessCommand.SIGNING_NAME, AccessCommand.TARGET_PREFIX, "WhoCan", body);
        if (output == Output.JSON) {
            printJson(out, answer);
            return 0;
        }
        out.println("Secret: " + answer.path("SecretARN").asText() + "   Action: " + answer.path("Action").asText());
        Table table = new Table("PRINCIPAL", "TYPE", "ACCOUNT", "VIA GROUP", "CONDITIONAL", "DECIDED BY");
        for (JsonNode p : answer.path("Principals")) {
            table.row(p.path("PrincipalArn").asText(), p.path("PrincipalType").asText(), p.path("AccountId").asText(),
                    joined(p.path("ViaGroups")), p.path("Conditional").asBoolean(false) ? "yes" : "no", statements(p));
        }
        if (table.isEmpty()) out.println("No user or role is allowed " + answer.path("Action").asText() + " on this secret.");
        else table.print(out);
        out.flush();
        return 0;
    }
}
