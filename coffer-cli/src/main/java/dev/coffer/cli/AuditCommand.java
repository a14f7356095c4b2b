package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coffer audit}: who did what, from where, with what outcome — the audit trail through CloudTrail's
 * LookupEvents, with human filters. The most selective filter becomes the lookup attribute (a secret, else a
 * principal or access key); the others (source IP, outcome, a principal's ARN) are applied to what comes back,
 * page by page, until {@code --max} events are found or the trail is exhausted. Exit codes as the API verbs.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, subcommands = AuditVerifyCommand.class,
        description = "Show audit events (newest first): who read or changed what, from where, and the outcome.")
final class AuditCommand implements Callable<Integer> {
    static final String SIGNING_NAME = "cloudtrail";
    static final String TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101";
    private static final Pattern ACCESS_KEY = Pattern.compile("(AKIA|ASIA)[A-Z0-9]{12,}");
    private static final Pattern RELATIVE = Pattern.compile("(\\d+)([smhd])");

    enum Output { TABLE, JSON, CSV }

    enum Outcome { SUCCESS, DENIED, FAILED }

    @Mixin
    ClientOptions client;

    @Option(names = "--secret", description = "Only events on this secret (name or ARN).")
    String secret;

    @Option(names = "--principal", description = "Only events by this principal: a user name, a role session name, an ARN "
            + "(user, role or role session) or an access key id.")
    String principal;

    @Option(names = "--source-ip", description = "Only events from this source IP address.")
    String sourceIp;

    @Option(names = "--outcome", description = "success, denied (AccessDenied) or failed (any other error).")
    Outcome outcome;

    @Option(names = "--since", description = "Only events at or after this time: ISO-8601 (2026-12-01T10:00:00Z) or a span back from now (90m, 24h, 7d).")
    String since;

    @Option(names = "--until", description = "Only events at or before this time (same forms as --since).")
    String until;

    @Option(names = "--max", defaultValue = "100", description = "At most this many events (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--output", defaultValue = "table", description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            List<JsonNode> events = find(client.client());
            print(events, out);
            return 0;
        } catch (ApiException e) {
            err.println(e.formatted());
            err.flush();
            return ApiVerb.SERVICE_ERROR;
        } catch (SharedCredentials.NotFound | UncheckedIOException | IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return ApiVerb.CLIENT_ERROR;
        }
    }

    private List<JsonNode> find(ApiClient api) {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        String key = null;
        String value = null;
        if (secret != null) {
            key = "ResourceName";
            value = secret;
        } else if (principal != null && !principal.contains(":role/")) {
            // A role's sessions are named by their session names: a role ARN is matched on what comes back.
            if (ACCESS_KEY.matcher(principal).matches()) {
                key = "AccessKeyId";
                value = principal;
            } else {
                key = "Username";
                value = principal.startsWith("arn:") ? principal.substring(principal.lastIndexOf('/') + 1) : principal;
            }
        }
        if (key != null) body.putArray("LookupAttributes").addObject().put("AttributeKey", key).put("AttributeValue", value);
        Instant now = Instant.now();
        if (since != null) body.put("StartTime", time(since, now).getEpochSecond());
        if (until != null) body.put("EndTime", time(until, now).getEpochSecond());
        body.put("MaxResults", 50);
        List<JsonNode> found = new ArrayList<>();
        while (found.size() < max) {
            JsonNode page = api.json(SIGNING_NAME, TARGET_PREFIX, "LookupEvents", body);
            for (JsonNode e : page.path("Events")) {
                JsonNode record = parse(e.path("CloudTrailEvent").asText());
                if (matches(record) && found.size() < max) found.add(record);
            }
            if (!page.hasNonNull("NextToken")) break;
            body.put("NextToken", page.get("NextToken").asText());
        }
        return found;
    }

    private boolean matches(JsonNode r) {
        if (sourceIp != null && !sourceIp.equals(r.path("sourceIPAddress").asText())) return false;
        if (outcome != null && outcome != outcomeOf(r)) return false;
        if (principal != null && principal.startsWith("arn:")) {
            JsonNode id = r.path("userIdentity");
            if (!principal.equals(id.path("arn").asText()) && !principal.equals(id.path("sessionContext").path("sessionIssuer")
                    .path("arn").asText())) {
                return false;
            }
        } else if (principal != null && secret != null) {
            JsonNode id = r.path("userIdentity");
            boolean byKey = principal.equals(id.path("accessKeyId").asText());
            String arn = id.path("arn").asText();
            if (!byKey && !principal.equals(id.path("userName").asText()) && !arn.endsWith("/" + principal)) return false;
        }
        return true;
    }

    static Outcome outcomeOf(JsonNode r) {
        String code = r.path("errorCode").asText(null);
        if (code == null) return Outcome.SUCCESS;
        return code.equals("AccessDenied") || code.equals("AccessDeniedException") ? Outcome.DENIED : Outcome.FAILED;
    }

    static Instant time(String text, Instant now) {
        var relative = RELATIVE.matcher(text.trim());
        if (relative.matches()) {
            long n = Long.parseLong(relative.group(1));
            Duration back = switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(back);
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: " + text + " (give ISO-8601 such as 2026-12-01T10:00:00Z, or 90m, 24h, 7d)");
        }
    }

    private void print(List<JsonNode> events, PrintWriter out) {
        switch (output) {
            case JSON -> {
                ArrayNode list = ApiClient.JSON.createArrayNode();
                events.forEach(list::add);
                ApiVerb.printJson(out, list);
            }
            case CSV -> {
                out.println("eventTime,eventName,eventSource,principal,accessKeyId,sourceIPAddress,outcome,errorCode,resources,eventID");
                for (JsonNode r : events) {
                    out.println(String.join(",", csv(r.path("eventTime").asText()), csv(r.path("eventName").asText()),
                            csv(r.path("eventSource").asText()), csv(principalOf(r)), csv(r.path("userIdentity").path("accessKeyId").asText("")),
                            csv(r.path("sourceIPAddress").asText()), csv(outcomeOf(r).name().toLowerCase(Locale.ROOT)),
                            csv(r.path("errorCode").asText("")), csv(resources(r)), csv(r.path("eventID").asText())));
                }
                out.flush();
            }
            case TABLE -> {
                Table table = new Table("TIME", "EVENT", "PRINCIPAL", "SOURCE IP", "OUTCOME", "RESOURCE");
                for (JsonNode r : events) {
                    String result = outcomeOf(r).name().toLowerCase(Locale.ROOT);
                    if (r.hasNonNull("errorCode")) result += " (" + r.get("errorCode").asText() + ")";
                    table.row(r.path("eventTime").asText(), r.path("eventName").asText(), principalOf(r),
                            r.path("sourceIPAddress").asText(), result, resources(r).isEmpty() ? "-" : resources(r));
                }
                if (table.isEmpty()) out.println("No events match.");
                else table.print(out);
                out.flush();
            }
        }
    }

    private static String principalOf(JsonNode r) {
        JsonNode id = r.path("userIdentity");
        if (id.hasNonNull("arn")) return id.get("arn").asText();
        if (id.hasNonNull("invokedBy")) return id.get("invokedBy").asText();
        return "(unknown)";
    }

    private static String resources(JsonNode r) {
        List<String> arns = new ArrayList<>();
        for (JsonNode res : r.path("resources")) arns.add(res.path("ARN").asText());
        return String.join(" ", arns);
    }

    private static String csv(String s) {
        if (s == null) return "";
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static JsonNode parse(String json) {
        try {
            return ApiClient.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("the server sent an event that is not JSON", e);
        }
    }
}
