package dev.coffer.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.coffer.server.iam.Principal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stored record is what the chain hashes, so its bytes must not drift: members in CloudTrail's order, nulls
 * written as null, and each kind of identity in its own shape.
 */
class CloudTrailEventJsonTest {
    private static final Instant AT = Instant.parse("2026-12-01T18:23:25.123Z");
    private static final List<CloudTrailEvent.Resource> SECRET = List.of(new CloudTrailEvent.Resource(
            "arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db-AbCdEf", "AWS::SecretsManager::Secret", "111111111111", "app/db"));

    private static CloudTrailEvent event(Principal who, String errorCode, String userAgent) {
        return new CloudTrailEvent("01a232d8-e5cb-713a-b424-cdb395002276", AT, CloudTrailEvent.API_CALL, who,
                "secretsmanager.amazonaws.com", "GetSecretValue", "us-east-1", "10.0.0.7", userAgent,
                JsonNodeFactory.instance.objectNode().put("secretId", "app/db"), null, errorCode,
                errorCode == null ? null : "User: x is not authorized", "726bc997-cd01-46bc-ad15-40fc3f093cc5", true, SECRET,
                "111111111111", null);
    }

    @Test
    void aUsersRead() {
        Principal alice = new Principal("111111111111", "arn:aws:iam::111111111111:user/alice", "AIDAALICE", "AKIAALICE",
                Principal.Kind.USER);
        assertThat(event(alice, null, "aws-cli/2.15")).extracting(CloudTrailEvent::toJson).isEqualTo("{\"eventVersion\":\"1.11\","
                + "\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDAALICE\",\"arn\":\"arn:aws:iam::111111111111:user/alice\","
                + "\"accountId\":\"111111111111\",\"accessKeyId\":\"AKIAALICE\",\"userName\":\"alice\"},"
                + "\"eventTime\":\"2026-12-01T18:23:25Z\",\"eventSource\":\"secretsmanager.amazonaws.com\",\"eventName\":\"GetSecretValue\","
                + "\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"10.0.0.7\",\"userAgent\":\"aws-cli/2.15\","
                + "\"requestParameters\":{\"secretId\":\"app/db\"},\"responseElements\":null,"
                + "\"requestID\":\"726bc997-cd01-46bc-ad15-40fc3f093cc5\",\"eventID\":\"01a232d8-e5cb-713a-b424-cdb395002276\","
                + "\"readOnly\":true,\"resources\":[{\"accountId\":\"111111111111\",\"type\":\"AWS::SecretsManager::Secret\","
                + "\"ARN\":\"arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db-AbCdEf\"}],\"eventType\":\"AwsApiCall\","
                + "\"managementEvent\":true,\"recipientAccountId\":\"111111111111\",\"eventCategory\":\"Management\"}");
    }

    @Test
    void aRoleSessionsDenial_withNoUserAgent() {
        Principal.Session session = new Principal.Session("arn:aws:iam::111111111111:role/app", "job-7",
                Instant.parse("2026-12-01T18:00:00.5Z"), Instant.parse("2026-12-01T19:00:00Z"), null, null, null, null, "ci", null);
        Principal role = new Principal("111111111111", "arn:aws:sts::111111111111:assumed-role/app/job-7", "AROAAPP:job-7",
                "ASIAJOB7", Principal.Kind.ASSUMED_ROLE, session);
        assertThat(event(role, "AccessDeniedException", null).toJson()).isEqualTo("{\"eventVersion\":\"1.11\","
                + "\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAAPP:job-7\","
                + "\"arn\":\"arn:aws:sts::111111111111:assumed-role/app/job-7\",\"accountId\":\"111111111111\","
                + "\"accessKeyId\":\"ASIAJOB7\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAAPP\","
                + "\"arn\":\"arn:aws:iam::111111111111:role/app\",\"accountId\":\"111111111111\",\"userName\":\"app\"},"
                + "\"attributes\":{\"creationDate\":\"2026-12-01T18:00:00Z\",\"mfaAuthenticated\":\"false\"},\"sourceIdentity\":\"ci\"}},"
                + "\"eventTime\":\"2026-12-01T18:23:25Z\",\"eventSource\":\"secretsmanager.amazonaws.com\",\"eventName\":\"GetSecretValue\","
                + "\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"10.0.0.7\",\"userAgent\":null,"
                + "\"errorCode\":\"AccessDeniedException\",\"errorMessage\":\"User: x is not authorized\","
                + "\"requestParameters\":{\"secretId\":\"app/db\"},\"responseElements\":null,"
                + "\"requestID\":\"726bc997-cd01-46bc-ad15-40fc3f093cc5\",\"eventID\":\"01a232d8-e5cb-713a-b424-cdb395002276\","
                + "\"readOnly\":true,\"resources\":[{\"accountId\":\"111111111111\",\"type\":\"AWS::SecretsManager::Secret\","
                + "\"ARN\":\"arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db-AbCdEf\"}],\"eventType\":\"AwsApiCall\","
                + "\"managementEvent\":true,\"recipientAccountId\":\"111111111111\",\"eventCategory\":\"Management\"}");
    }

    @Test
    void aServiceEventAndAnUnknownCaller() {
        CloudTrailEvent purge = new CloudTrailEvent("e1", AT, CloudTrailEvent.SERVICE_EVENT, Principal.service("111111111111"),
                "secretsmanager.amazonaws.com", "EndSecretDeletion", "us-east-1", "secretsmanager.amazonaws.com", null, null, null,
                null, null, null, false, List.of(), "111111111111",
                JsonNodeFactory.instance.objectNode().put("secretName", "app/db"));
        assertThat(purge.toJson()).isEqualTo("{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"AWSService\","
                + "\"accountId\":\"111111111111\",\"invokedBy\":\"secretsmanager.amazonaws.com\"},\"eventTime\":\"2026-12-01T18:23:25Z\","
                + "\"eventSource\":\"secretsmanager.amazonaws.com\",\"eventName\":\"EndSecretDeletion\",\"awsRegion\":\"us-east-1\","
                + "\"sourceIPAddress\":\"secretsmanager.amazonaws.com\",\"userAgent\":null,\"requestParameters\":null,"
                + "\"responseElements\":null,\"requestID\":null,\"eventID\":\"e1\",\"readOnly\":false,\"eventType\":\"AwsServiceEvent\","
                + "\"serviceEventDetails\":{\"secretName\":\"app/db\"},\"managementEvent\":true,\"recipientAccountId\":\"111111111111\","
                + "\"eventCategory\":\"Management\"}");
        assertThat(event(null, "IncompleteSignatureException", "curl/8").toJson()).startsWith("{\"eventVersion\":\"1.11\",\"userIdentity\":null,");
    }
}
