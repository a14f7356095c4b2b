package dev.coffer.server.audit;

import dev.coffer.server.iam.Principal;
import java.time.Instant;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Events Coffer's own jobs record as the service principal ({@code AwsServiceEvent}), as Secrets Manager does in CloudTrail. */
public final class ServiceEvents {
    private static final String SERVICE = "secretsmanager.amazonaws.com";
    /** The source of Coffer's own findings about the trail (alerts), which no AWS service makes. */
    public static final String ALERTS_SOURCE = "coffer.amazonaws.com";

    private ServiceEvents() {}

    /** A secret's recovery window ended and the service deleted it for good (CloudTrail's {@code EndSecretDeletion}). */
    public static CloudTrailEvent endSecretDeletion(String accountId, String region, String secretArn, String secretName,
                                                    Instant when) {
        return new CloudTrailEvent(EventIds.next(when.toEpochMilli()), when, CloudTrailEvent.SERVICE_EVENT,
                Principal.service(accountId), SERVICE, "EndSecretDeletion", region, SERVICE, SERVICE, null, null, null, null,
                null, false, List.of(Resources.secret(secretArn, secretName)), accountId, null);
    }

    /**
     * An alert: Coffer's finding about the trail or the secrets' hygiene, recorded as a service event of
     * {@value #ALERTS_SOURCE} in the account it concerns, naming what it is about as its one resource (the secret, else
     * the principal: LookupEvents by ResourceName finds it under that name) and explaining itself in {@code details}.
     * Never a value.
     *
     * @param secretArn    the secret it concerns, or null
     * @param principalArn the principal it concerns, or null
     */
    public static CloudTrailEvent alert(String accountId, String region, String eventName, String secretArn, String secretName,
                                        String principalArn, JsonNode details, Instant when) {
        // One resource, as every Coffer event names at most one (the chain verifier holds the indexed copy to it).
        CloudTrailEvent.Resource resource = secretArn != null ? Resources.secret(secretArn, secretName)
                : principalArn != null ? Resources.of(principalArn, null, null) : null;
        List<CloudTrailEvent.Resource> resources = resource == null ? List.of() : List.of(resource);
        Principal coffer = new Principal(accountId, ALERTS_SOURCE, ALERTS_SOURCE, null, Principal.Kind.SERVICE);
        return new CloudTrailEvent(EventIds.next(when.toEpochMilli()), when, CloudTrailEvent.SERVICE_EVENT, coffer,
                ALERTS_SOURCE, eventName, region, ALERTS_SOURCE, ALERTS_SOURCE, null, null, null, null, null, true, resources,
                accountId, details);
    }
}
