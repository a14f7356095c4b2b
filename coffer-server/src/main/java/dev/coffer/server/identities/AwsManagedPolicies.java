package dev.coffer.server.identities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.iam.PolicyDocument;
import dev.coffer.server.iam.PolicyKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS managed policies Coffer serves, read-only, from bundled resources
 * ({@code aws-managed-policies/*.json}): their real ARNs, with documents trimmed to the services
 * Coffer speaks.
 */
public final class AwsManagedPolicies {
    static final String PREFIX = "arn:aws:iam::aws:policy/";
    private static final List<String> BUNDLED = List.of("AdministratorAccess", "IAMFullAccess", "IAMReadOnlyAccess",
            "ReadOnlyAccess", "SecretsManagerReadWrite");

    /** One AWS managed policy. */
    public record Managed(String name, String arn, String path, String policyId, String defaultVersion, String description,
                          Instant created, Instant updated, String document, PolicyDocument compiled) {}

    private final Map<String, Managed> byArn = new LinkedHashMap<>();

    public AwsManagedPolicies() {
        ObjectMapper json = new ObjectMapper();
        for (String name : BUNDLED) {
            try (InputStream in = AwsManagedPolicies.class.getClassLoader()
                    .getResourceAsStream("aws-managed-policies/" + name + ".json")) {
                if (in == null) throw new IllegalStateException("missing bundled AWS managed policy " + name);
                JsonNode n = json.readTree(in);
                String document = json.writeValueAsString(n.get("Document"));
                Managed m = new Managed(n.get("PolicyName").asText(), n.get("Arn").asText(), n.get("Path").asText(),
                        n.get("PolicyId").asText(), n.get("DefaultVersionId").asText(), n.get("Description").asText(),
                        Instant.parse(n.get("CreateDate").asText()), Instant.parse(n.get("UpdateDate").asText()), document,
                        PolicyDocument.parse(document, PolicyKind.IDENTITY));
                byArn.put(m.arn(), m);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Optional<Managed> find(String arn) {
        return Optional.ofNullable(byArn.get(arn));
    }

    public Collection<Managed> all() {
        return byArn.values();
    }

    public static boolean isAwsManaged(String arn) {
        return arn != null && arn.startsWith(PREFIX);
    }
}
