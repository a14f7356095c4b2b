package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer access what-can PRINCIPAL_ARN}: every secret a user or role is allowed an action on, and why. */
@Command(name = "what-can", mixinStandardHelpOptions = true,
        description = "List the secrets a user or role is allowed an action on, with the statements that allow it.")
final class WhatCanCommand extends ApiVerb {
    @Parameters(paramLabel = "PRINCIPAL_ARN", description = "A user's or role's ARN.")
    String principalArn;

    @Option(names = "--action", defaultValue = "secretsmanager:GetSecretValue", description = "IAM action (default: ${DEFAULT-VALUE}).")
    String action;

    @Override
    int run(ApiClient api, PrintWriter out) {
        ObjectNode body = ApiClient.JSON.createObjectNode().put("PrincipalArn", principalArn).put("Action", action);
        JsonNode answer = api.json(AccessCommand.SIGNING_NAME, AccessCommand.TARGET_PREFIX, "WhatCan", body);
        if (output == Output.JSON) {
            printJson(out, answer);
            return 0;
        }
        out.println("Principal: " + answer.path("PrincipalArn").asText() + "   Action: " + answer.path("Action").asText());
        Table table = new Table("SECRET", "ACCOUNT", "REGION", "VIA GROUP", "CONDITIONAL", "DECIDED BY");
        for (JsonNode s : answer.path("Secrets")) {
            table.row(s.path("SecretName").asText(), s.path("AccountId").asText(), s.path("Region").asText(),
                    joined(s.path("ViaGroups")), s.path("Conditional").asBoolean(false) ? "yes" : "no", statements(s));
        }
        if (table.isEmpty()) out.println("No secret allows " + answer.path("Action").asText() + " to this principal.");
        else table.print(out);
        out.flush();
        return 0;
    }
}
