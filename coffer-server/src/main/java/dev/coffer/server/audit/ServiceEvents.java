package dev.coffer.server.audit;

import dev.coffer.server.iam.Principal;
import java.time.Instant;
import java.util.List;

/** Events Coffer's own jobs record as the service principal ({@code AwsServiceEvent}), as Secrets Manager does in CloudTrail. */
public final class ServiceEvents {
    private static final String SERVICE = "secretsmanager.amazonaws.com";

    private ServiceEvents() {}

    /** A secret's recovery window ended and the service deleted it for good (CloudTrail's {@code EndSecretDeletion}). */
    public static CloudTrailEvent endSecretDeletion(String accountId, String region, String secretArn, String secretName,
                                                    Instant when) {
        return new CloudTrailEvent(EventIds.next(when.toEpochMilli()), when, CloudTrailEvent.SERVICE_EVENT,
                Principal.service(accountId), SERVICE, "EndSecretDeletion", region, SERVICE, SERVICE, null, null, null, null,
                null, false, List.of(Resources.secret(secretArn, secretName)), accountId, null);
    }
}
