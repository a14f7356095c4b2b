package dev.coffer.server.iam;

import java.util.List;
import java.util.Map;

/**
 * One question for the evaluator: may this principal perform this action on this resource,
 * in this request context?
 *
 * @param principal       the caller (a user, a role session, a web identity, the service)
 * @param action          e.g. {@code secretsmanager:GetSecretValue}
 * @param resourceArn     the resource's ARN, or {@code *} for actions on no particular resource
 * @param resourceAccount the account that owns the resource (decides same- vs cross-account evaluation)
 * @param context         every condition key the request carries, global ({@code aws:SourceIp},
 *                        {@code aws:PrincipalTag/team}, {@code aws:username} …) and service-specific
 *                        ({@code secretsmanager:VersionStage} …); key names as AWS spells them (the
 *                        evaluator compares key names case-insensitively, as IAM does); a key absent
 *                        here is absent from the request
 */
public record AccessRequest(Principal principal, String action, String resourceArn, String resourceAccount,
                            Map<String, List<String>> context) {
    public AccessRequest {
        context = Map.copyOf(context);
    }
}
