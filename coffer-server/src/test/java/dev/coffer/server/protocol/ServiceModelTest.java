package dev.coffer.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceModelTest {
    static final String RESOURCE = "aws-models/secretsmanager-2017-10-17.json";

    @Test
    void theSecretsManagerModelHasAll23Operations() {
        ServiceModel model = ServiceModel.load(RESOURCE);

        assertThat(model.operations()).containsExactlyInAnyOrder(
                "BatchGetSecretValue", "CancelRotateSecret", "CreateSecret", "DeleteResourcePolicy",
                "DeleteSecret", "DescribeSecret", "GetRandomPassword", "GetResourcePolicy",
                "GetSecretValue", "ListSecretVersionIds", "ListSecrets", "PutResourcePolicy",
                "PutSecretValue", "RemoveRegionsFromReplication", "ReplicateSecretToRegions",
                "RestoreSecret", "RotateSecret", "StopReplicationToReplica", "TagResource",
                "UntagResource", "UpdateSecret", "UpdateSecretVersionStage", "ValidateResourcePolicy");
    }

    @Test
    void readsTheProtocolMetadata() {
        ServiceModel model = ServiceModel.load("/" + RESOURCE);

        assertThat(model.targetPrefix()).isEqualTo("secretsmanager");
        assertThat(model.signingName()).isEqualTo("secretsmanager");
        assertThat(model.hasOperation("GetSecretValue")).isTrue();
        assertThat(model.hasOperation("getSecretValue")).isFalse();
        assertThat(model.hasOperation(null)).isFalse();
    }

    @Test
    void carriesTheLaterAdditionsWithTheirConstraints() {
        ServiceModel model = ServiceModel.load(RESOURCE);

        Shape batch = model.inputShape("BatchGetSecretValue").orElseThrow();
        assertThat(batch.members()).containsOnlyKeys("SecretIdList", "Filters", "MaxResults", "NextToken");
        Shape ids = model.shape(batch.members().get("SecretIdList"));
        assertThat(ids.min()).isEqualByComparingTo("1");
        assertThat(ids.max()).isEqualByComparingTo("20");
        Shape max = model.shape(batch.members().get("MaxResults"));
        assertThat(max.type()).isEqualTo(ShapeType.INTEGER);
        assertThat(max.max()).isEqualByComparingTo("20");

        Shape put = model.inputShape("PutSecretValue").orElseThrow();
        Shape token = model.shape(put.members().get("RotationToken"));
        assertThat(token.sensitive()).isTrue();
        assertThat(token.min()).isEqualByComparingTo("36");
        assertThat(token.max()).isEqualByComparingTo("256");

        Shape list = model.inputShape("ListSecrets").orElseThrow();
        assertThat(list.members()).containsKey("IncludePlannedDeletion");
        assertThat(model.shape(list.members().get("IncludePlannedDeletion")).type()).isEqualTo(ShapeType.BOOLEAN);
    }

    @Test
    void theOperationSetIsReadOnly() {
        ServiceModel model = ServiceModel.load(RESOURCE);

        assertThatThrownBy(() -> model.operations().add("Nope")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aMissingResourceIsRefused() {
        assertThatThrownBy(() -> ServiceModel.load("aws-models/nope.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aws-models/nope.json");
    }
}
