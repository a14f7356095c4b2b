package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import picocli.CommandLine.Command;

/** {@code coffer account list}: Organizations ListAccounts, every page. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts.")
final class AccountListCommand extends ApiVerb {

    @Override
    int run(ApiClient api, PrintWriter out) {
        ArrayNode accounts = ApiClient.JSON.createArrayNode();
        String next = null;
        do {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            if (next != null) body.put("NextToken", next);
            JsonNode page = api.json(AccountCommand.SIGNING_NAME, AccountCommand.TARGET_PREFIX, "ListAccounts", body);
            page.path("Accounts").forEach(accounts::add);
            next = page.hasNonNull("NextToken") ? page.get("NextToken").asText() : null;
        } while (next != null);
        if (output == Output.JSON) {
            printJson(out, ApiClient.JSON.createObjectNode().set("Accounts", accounts));
            return 0;
        }
        Table table = new Table("ID", "NAME", "EMAIL", "STATUS", "JOINED");
        for (JsonNode a : accounts) {
            table.row(a.path("Id").asText(), a.path("Name").asText(), a.path("Email").asText(),
                    a.path("Status").asText(a.path("State").asText()), timestamp(a.path("JoinedTimestamp")));
        }
        if (table.isEmpty()) out.println("No accounts.");
        else table.print(out);
        out.flush();
        return 0;
    }

    /** JSON 1.1 timestamps are epoch seconds (with a fraction); shown as ISO 8601. */
    private static String timestamp(JsonNode timestamp) {
        if (timestamp.isNumber()) {
            BigDecimal millis = timestamp.decimalValue().movePointRight(3);
            return Instant.ofEpochMilli(millis.longValue()).toString();
        }
        return timestamp.isMissingNode() || timestamp.isNull() ? "-" : timestamp.asText();
    }
}
