package dev.coffer.server.audit.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.server.audit.CloudTrailEvent;
import dev.coffer.server.store.AuditRow;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Baselines learn per principal: a user by its ARN, a role session by its role's ARN, read off the record's userIdentity. */
class ObservedCallTest {
    private static final String TAIL = ",\"eventTime\":\"2026-12-01T18:23:25Z\",\"eventSource\":\"secretsmanager.amazonaws.com\","
            + "\"eventName\":\"GetSecretValue\",\"requestParameters\":{\"secretId\":\"app/db\"},\"readOnly\":true}";

    @Test
    void aUserIsItsArn() throws IOException {
        String record = "{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDAX\","
                + "\"arn\":\"arn:aws:iam::111111111111:user/alice\",\"accountId\":\"111111111111\",\"userName\":\"alice\"}" + TAIL;
        assertThat(CloudTrailEvent.actorOfRecord(record)).isEqualTo("arn:aws:iam::111111111111:user/alice");
    }

    @Test
    void aRoleSessionIsItsRole_wheverTheIssuerSitsInTheContext() throws IOException {
        String record = "{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAX:s1\","
                + "\"arn\":\"arn:aws:sts::111111111111:assumed-role/app/s1\",\"sessionContext\":{\"attributes\":"
                + "{\"creationDate\":\"2026-12-01T18:00:00Z\",\"mfaAuthenticated\":\"false\"},\"sessionIssuer\":{\"type\":\"Role\","
                + "\"principalId\":\"AROAX\",\"arn\":\"arn:aws:iam::111111111111:role/app\",\"userName\":\"app\"}},"
                + "\"accountId\":\"111111111111\"}" + TAIL;
        assertThat(CloudTrailEvent.actorOfRecord(record)).isEqualTo("arn:aws:iam::111111111111:role/app");
    }

    @Test
    void aSessionWithoutAnIssuer_isItsOwnArn() throws IOException {
        String record = "{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"AssumedRole\","
                + "\"arn\":\"arn:aws:sts::111111111111:assumed-role/app/s1\"}" + TAIL;
        assertThat(CloudTrailEvent.actorOfRecord(record)).isEqualTo("arn:aws:sts::111111111111:assumed-role/app/s1");
    }

    @Test
    void serviceEventsAndUnknownCallersHaveNoBaselinePrincipal() throws IOException {
        assertThat(CloudTrailEvent.actorOfRecord("{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"AWSService\","
                + "\"invokedBy\":\"secretsmanager.amazonaws.com\"}" + TAIL)).isNull();
        assertThat(CloudTrailEvent.actorOfRecord("{\"eventVersion\":\"1.11\",\"userIdentity\":null" + TAIL)).isNull();
        assertThat(CloudTrailEvent.actorOfRecord("{\"eventVersion\":\"1.11\"" + TAIL)).isNull();
    }

    @Test
    void theActorColumnIsUsed_andTheRecordOnlyWithoutIt() {
        AuditRow.Resource secret = new AuditRow.Resource("AWS::SecretsManager::Secret",
                "arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db-AbCdEf", "app/db");
        String record = "{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"IAMUser\","
                + "\"arn\":\"arn:aws:iam::111111111111:user/alice\"}" + TAIL;
        AuditRow withActor = new AuditRow(1, "e1", 0, "111111111111", "us-east-1", "secretsmanager.amazonaws.com",
                "GetSecretValue", "bob", null, true, "10.0.0.1", null, secret, null, null, null, "arn:aws:iam::111111111111:user/bob");
        AuditRow legacy = new AuditRow(2, "e2", 0, "111111111111", "us-east-1", "secretsmanager.amazonaws.com",
                "GetSecretValue", "alice", null, true, "10.0.0.1", null, secret, record, null, null, null);
        assertThat(ObservedCall.of(withActor).principal()).isEqualTo("arn:aws:iam::111111111111:user/bob");
        assertThat(ObservedCall.of(withActor).read()).isTrue();
        assertThat(ObservedCall.of(legacy).principal()).isEqualTo("arn:aws:iam::111111111111:user/alice");
        assertThat(ObservedCall.needsRecord(withActor)).as("the engine leaves its record undecoded").isFalse();
        assertThat(ObservedCall.needsRecord(legacy)).as("the engine decodes its record for the actor").isTrue();
    }

    @Test
    void aRecordThatIsNotJson_isNotJudged() {
        assertThatThrownBy(() -> CloudTrailEvent.actorOfRecord("not json")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> CloudTrailEvent.actorOfRecord("[1, 2]")).isInstanceOf(IOException.class);
    }
}
