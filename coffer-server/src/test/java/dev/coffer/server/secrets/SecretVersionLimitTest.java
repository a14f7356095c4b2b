package dev.coffer.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.server.error.ServiceException;
import dev.coffer.server.secrets.SecretsManagerMessages.CreateSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.DeleteSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.SecretIdRequest;
import dev.coffer.server.testkit.InProcessSecrets;
import dev.coffer.server.testkit.MutableClock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AWS keeps about 100 versions: deprecated ones older than a day are removed past that, on a real store. */
class SecretVersionLimitTest {
    private InProcessSecrets secrets;
    private MutableClock clock;

    @BeforeEach
    void open() {
        secrets = new InProcessSecrets();
        clock = secrets.clock;
    }

    @AfterEach
    void close() {
        secrets.close();
    }

    private Object call(String op, Object request) {
        return secrets.call(op, request);
    }

    private void create(String name) {
        call("CreateSecret", new CreateSecretRequest(name, UUID.randomUUID().toString(), null, null, null, "v", null, null, null));
    }

    private String put(String name, String value) {
        return ((SecretsManagerMessages.PutSecretValueResponse) call("PutSecretValue", new SecretsManagerMessages.PutSecretValueRequest(
                name, UUID.randomUUID().toString(), null, value, null, null))).VersionId();
    }

    private java.util.List<String> allVersionIds(String name) {
        return ((SecretsManagerMessages.ListSecretVersionIdsResponse) call("ListSecretVersionIds",
                new SecretsManagerMessages.ListSecretVersionIdsRequest(name, 100, null, true))).Versions().stream()
                .map(SecretsManagerMessages.SecretVersionsListEntry::VersionId).toList();
    }

    private int countAll(String name) {
        int total = 0;
        String token = null;
        do {
            var page = (SecretsManagerMessages.ListSecretVersionIdsResponse) call("ListSecretVersionIds",
                    new SecretsManagerMessages.ListSecretVersionIdsRequest(name, 100, token, true));
            total += page.Versions().size();
            token = page.NextToken();
        } while (token != null);
        return total;
    }

    @Test
    void deprecatedVersionsYoungerThanADay_areKeptEvenPastTheLimit() {
        create("prod/api/rotating-token");
        for (int i = 0; i < 105; i++) put("prod/api/rotating-token", "v" + i);
        assertThat(countAll("prod/api/rotating-token")).isEqualTo(106);
    }

    @Test
    void pastTheLimit_theOldestDeprecatedVersionsOlderThanADayAreRemoved_labelledOnesNever() {
        create("prod/api/signing-key");
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 105; i++) {
            ids.add(put("prod/api/signing-key", "v" + i));
            clock.advance(Duration.ofSeconds(1));
        }
        String previous = ids.getLast();
        clock.advance(Duration.ofHours(25));
        String current = put("prod/api/signing-key", "latest");

        assertThat(countAll("prod/api/signing-key")).isEqualTo(100);
        var remaining = new java.util.HashSet<>(allVersionIds("prod/api/signing-key"));
        assertThat(remaining).contains(current, previous).doesNotContain(ids.get(0), ids.get(5)).contains(ids.get(6));
    }
}
