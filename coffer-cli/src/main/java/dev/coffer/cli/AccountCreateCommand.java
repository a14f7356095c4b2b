package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer account create NAME --email E}: Organizations CreateAccount. Account creation may
 * answer IN_PROGRESS; the command then follows DescribeCreateAccountStatus until it succeeds or
 * fails, and prints the new account's id.
 */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create an account and print its id.")
final class AccountCreateCommand extends ApiVerb {
    static Duration pollEvery = Duration.ofMillis(500);
    static Duration pollFor = Duration.ofSeconds(60);

    @Parameters(paramLabel = "NAME", description = "The account's name.")
    String name;

    @Option(names = "--email", required = true, description = "The email address of the account's owner.")
    String email;

    @Override
    int run(ApiClient api, PrintWriter out) {
        ObjectNode body = ApiClient.JSON.createObjectNode().put("AccountName", name).put("Email", email);
        JsonNode status = api.json(AccountCommand.SIGNING_NAME, AccountCommand.TARGET_PREFIX, "CreateAccount", body)
                .path("CreateAccountStatus");
        long deadline = System.nanoTime() + pollFor.toNanos();
        while ("IN_PROGRESS".equals(status.path("State").asText()) && System.nanoTime() < deadline) {
            sleep();
            ObjectNode ask = ApiClient.JSON.createObjectNode().put("CreateAccountRequestId", status.path("Id").asText());
            status = api.json(AccountCommand.SIGNING_NAME, AccountCommand.TARGET_PREFIX, "DescribeCreateAccountStatus", ask)
                    .path("CreateAccountStatus");
        }
        String state = status.path("State").asText();
        if ("FAILED".equals(state)) {
            throw new ApiException(status.path("FailureReason").asText("FAILED"), "account creation failed", 200);
        }
        if (output == Output.JSON) {
            printJson(out, ApiClient.JSON.createObjectNode().set("CreateAccountStatus", status));
            return 0;
        }
        if (!"SUCCEEDED".equals(state) || !status.hasNonNull("AccountId")) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("Account creation is still " + state + " (request " + status.path("Id").asText() + ")");
            err.flush();
            return SERVICE_ERROR;
        }
        out.println(status.get("AccountId").asText());
        out.flush();
        return 0;
    }

    private static void sleep() {
        try {
            Thread.sleep(pollEvery);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
