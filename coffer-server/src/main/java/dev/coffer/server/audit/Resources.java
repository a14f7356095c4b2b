package dev.coffer.server.audit;

import java.util.regex.Pattern;

/** What CloudTrail calls the resource an ARN names, and the plain name a lookup may use for it. */
final class Resources {
    /** A secret ARN ends in the name, a dash and six random characters ({@code ??????} before CreateSecret picks them). */
    private static final Pattern SECRET_SUFFIX = Pattern.compile(".*-[A-Za-z0-9?]{6}$");

    private Resources() {}

    /** The resource an access target names, or null for calls on no particular resource ({@code *}). */
    static CloudTrailEvent.Resource of(String arn, String accountId, String namedAs) {
        if (arn == null || arn.equals("*") || !arn.startsWith("arn:")) return null;
        String[] parts = arn.split(":", 6);
        if (parts.length < 6) return new CloudTrailEvent.Resource(arn, null, accountId, null);
        String service = parts[2];
        String resource = parts[5];
        String type = switch (service) {
            case "secretsmanager" -> "AWS::SecretsManager::Secret";
            case "iam" -> iamType(resource);
            case "sts" -> resource.startsWith("assumed-role/") ? "AWS::STS::AssumedRole" : null;
            case "organizations" -> resource.startsWith("account/") ? "AWS::Organizations::Account" : null;
            default -> null;
        };
        String alias = null;
        if ("secretsmanager".equals(service)) {
            alias = namedAs != null && !namedAs.startsWith("arn:") ? namedAs : secretName(resource);
        } else if (resource.contains("/")) {
            alias = resource.substring(resource.lastIndexOf('/') + 1);
        }
        if (alias != null && alias.equals(arn)) alias = null;
        return new CloudTrailEvent.Resource(arn, type, accountId != null ? accountId : parts[4], alias);
    }

    /** A secret's resource by its real ARN and name (as the service knows it once it has the secret). */
    static CloudTrailEvent.Resource secret(String arn, String name) {
        String[] parts = arn.split(":", 6);
        return new CloudTrailEvent.Resource(arn, "AWS::SecretsManager::Secret", parts.length > 4 ? parts[4] : null, name);
    }

    private static String iamType(String resource) {
        int slash = resource.indexOf('/');
        String kind = slash < 0 ? resource : resource.substring(0, slash);
        return switch (kind) {
            case "user" -> "AWS::IAM::User";
            case "role" -> "AWS::IAM::Role";
            case "group" -> "AWS::IAM::Group";
            case "policy" -> "AWS::IAM::Policy";
            case "oidc-provider" -> "AWS::IAM::OIDCProvider";
            default -> null;
        };
    }

    private static String secretName(String resource) {
        if (!resource.startsWith("secret:")) return null;
        String name = resource.substring("secret:".length());
        return SECRET_SUFFIX.matcher(name).matches() ? name.substring(0, name.length() - 7) : name;
    }
}
