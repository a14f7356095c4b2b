package dev.coffer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A verb that calls the API. Exit codes follow the AWS CLI: 0 on success, 254 when the service
 * answered with an error ({@code An error occurred (Code): message} on stderr), 255 when no call could
 * be made (no credentials, endpoint unreachable).
 */
abstract class ApiVerb implements Callable<Integer> {
    static final int SERVICE_ERROR = 254;
    static final int CLIENT_ERROR = 255;

    enum Output { TABLE, JSON, CSV }

    @Mixin
    ClientOptions client;

    @Option(names = "--output", defaultValue = "table",
            description = "table or json; csv too where the verb offers it (default: ${DEFAULT-VALUE}).")
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!outputs().contains(output)) {
            throw new ParameterException(spec.commandLine(), "--output " + output.name().toLowerCase(java.util.Locale.ROOT)
                    + " is not offered by this command (it offers " + outputs().stream()
                    .map(o -> o.name().toLowerCase(java.util.Locale.ROOT)).toList() + ")");
        }
        try {
            return run(client.client(), spec.commandLine().getOut());
        } catch (ApiException e) {
            err.println(e.formatted());
            err.flush();
            return SERVICE_ERROR;
        } catch (SharedCredentials.NotFound | UncheckedIOException e) {
            err.println(e.getMessage());
            err.flush();
            return CLIENT_ERROR;
        }
    }

    abstract int run(ApiClient api, PrintWriter out);

    /** The output formats the verb can print. */
    java.util.Set<Output> outputs() {
        return java.util.EnumSet.of(Output.TABLE, Output.JSON);
    }

    static void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The deciding statements of a grant, short: {@code source[Sid]} or {@code source[#index]}. */
    static String statements(JsonNode grant) {
        StringBuilder b = new StringBuilder();
        for (JsonNode s : grant.path("DecidingStatements")) {
            if (!b.isEmpty()) b.append("; ");
            b.append(s.path("PolicySource").asText()).append('[');
            b.append(s.hasNonNull("Sid") && !s.get("Sid").asText().isEmpty() ? s.get("Sid").asText() : "#" + s.path("StatementIndex").asInt());
            b.append(s.path("HasConditions").asBoolean(false) ? ", conditions" : "").append(']');
        }
        return b.isEmpty() ? "-" : b.toString();
    }

    static String joined(JsonNode list) {
        StringBuilder b = new StringBuilder();
        for (JsonNode n : list) {
            if (!b.isEmpty()) b.append(',');
            b.append(n.asText());
        }
        return b.isEmpty() ? "-" : b.toString();
    }
}
