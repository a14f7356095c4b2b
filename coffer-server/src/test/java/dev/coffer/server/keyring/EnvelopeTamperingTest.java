package dev.coffer.server.keyring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.server.testkit.RawClient;
import dev.coffer.server.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Someone with write access to the database file (but not the root key) edits sealed values
 * behind the server's back. Each secret below is tampered with in one way while the server is
 * stopped; after a restart on the same data directory, reading it must fail with
 * {@code DecryptionFailure} (HTTP 400) and never serve wrong plaintext, while untouched values
 * still read back. A root key that does not match the store stops the server from starting.
 */
class EnvelopeTamperingTest {
    private static final int HEADER = 7; // version(1) keyId(4) wrappedKeyLength(2)

    private static Path dataDir;
    private static TestServer server;
    private static RawClient raw;
    /** Every plaintext the fixtures wrote, by secret name: none may appear in an error body. */
    private static final Map<String, String> plaintexts = new LinkedHashMap<>();
    private static final Map<String, String> versionIds = new LinkedHashMap<>();
    private static String sameSecretOldVersion;

    @BeforeAll
    static void tamperWhileStopped() throws Exception {
        dataDir = Files.createTempDirectory("coffer-tamper-");
        TestServer first = TestServer.startOn(dataDir, c -> c, false);
        try (SecretsManagerClient sm = first.secretsManager()) {
            for (String name : new String[] {"flip-version-byte", "flip-key-id", "flip-wrapped-key", "flip-payload",
                    "flip-tag", "truncated", "emptied", "copied-onto", "copy-source", "untouched", "type-s-to-b",
                    "version-renamed", "arn-renamed", "row-moved", "row-moved-target", "key-id-column"}) {
                createString(sm, name);
            }
            createBinary(sm, "type-b-to-s");
            // A secret with two versions: the old one's envelope is later copied onto the current one.
            createString(sm, "same-secret");
            sameSecretOldVersion = versionIds.get("same-secret");
            String newer = "fake-plain-same-secret-v2";
            versionIds.put("same-secret", sm.putSecretValue(r -> r.secretId("tamper/same-secret").secretString(newer))
                    .versionId());
            plaintexts.put("same-secret-v2", newer);
        }
        first.stop();

        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("coffer.db"))) {
            flip(db, "flip-version-byte", 0);
            flip(db, "flip-key-id", 4);
            flip(db, "flip-wrapped-key", HEADER + 20);
            flip(db, "flip-payload", -20);
            flip(db, "flip-tag", -1);
            byte[] sealed = sealed(db, "truncated");
            setSealed(db, "truncated", java.util.Arrays.copyOf(sealed, sealed.length / 2));
            setSealed(db, "emptied", new byte[0]);
            setSealed(db, "copied-onto", sealed(db, "copy-source"));
            setSealedOfVersion(db, "same-secret", versionIds.get("same-secret"),
                    sealedOfVersion(db, "same-secret", sameSecretOldVersion));
            update(db, "UPDATE secret_versions SET value_type = 'B' WHERE secret_id = ? AND version_id = ?",
                    secretId(db, "type-s-to-b"), versionIds.get("type-s-to-b"));
            update(db, "UPDATE secret_versions SET value_type = 'S' WHERE secret_id = ? AND version_id = ?",
                    secretId(db, "type-b-to-s"), versionIds.get("type-b-to-s"));
            String renamed = "99999999-8888-7777-6666-555555555555";
            update(db, "UPDATE secret_versions SET version_id = ? WHERE secret_id = ? AND version_id = ?",
                    renamed, secretId(db, "version-renamed"), versionIds.get("version-renamed"));
            update(db, "UPDATE version_stages SET version_id = ? WHERE secret_id = ? AND version_id = ?",
                    renamed, secretId(db, "version-renamed"), versionIds.get("version-renamed"));
            versionIds.put("version-renamed", renamed);
            update(db, "UPDATE secrets SET arn = arn || 'X' WHERE secret_id = ?", secretId(db, "arn-renamed"));
            // The whole version row (value, id, type) moved from one secret to another, stage and all.
            String from = secretId(db, "row-moved");
            String to = secretId(db, "row-moved-target");
            update(db, "DELETE FROM version_stages WHERE secret_id = ?", to);
            update(db, "DELETE FROM secret_versions WHERE secret_id = ?", to);
            update(db, "UPDATE secret_versions SET secret_id = ? WHERE secret_id = ?", to, from);
            update(db, "UPDATE version_stages SET secret_id = ? WHERE secret_id = ?", to, from);
            update(db, "UPDATE secret_versions SET key_id = key_id + 41 WHERE secret_id = ?", secretId(db, "key-id-column"));
        }

        server = TestServer.startOn(dataDir, c -> c, false);
        raw = RawClient.of(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        TestServer.deleteRecursively(dataDir);
    }

    // ---- fixtures -----------------------------------------------------------------------

    private static void createString(SecretsManagerClient sm, String name) {
        String value = "fake-plain-" + name;
        plaintexts.put(name, value);
        versionIds.put(name, sm.createSecret(r -> r.name("tamper/" + name).secretString(value)).versionId());
    }

    private static void createBinary(SecretsManagerClient sm, String name) {
        String value = "fake-plain-" + name;
        plaintexts.put(name, value);
        versionIds.put(name, sm.createSecret(r -> r.name("tamper/" + name)
                .secretBinary(SdkBytes.fromString(value, StandardCharsets.UTF_8))).versionId());
    }

    private static String secretId(Connection db, String name) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT secret_id FROM secrets WHERE name = ?")) {
            ps.setString(1, "tamper/" + name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("secret %s in the database", name).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static byte[] sealed(Connection db, String name) throws SQLException {
        return sealedOfVersion(db, name, versionIds.get(name));
    }

    private static byte[] sealedOfVersion(Connection db, String name, String versionId) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT sealed_value FROM secret_versions WHERE secret_id = ? AND version_id = ?")) {
            ps.setString(1, secretId(db, name));
            ps.setString(2, versionId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("version %s of %s", versionId, name).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private static void setSealed(Connection db, String name, byte[] value) throws SQLException {
        setSealedOfVersion(db, name, versionIds.get(name), value);
    }

    private static void setSealedOfVersion(Connection db, String name, String versionId, byte[] value) throws SQLException {
        assertThat(update(db, "UPDATE secret_versions SET sealed_value = ? WHERE secret_id = ? AND version_id = ?",
                value, secretId(db, name), versionId)).isEqualTo(1);
    }

    /** Flips every bit of one byte; a negative offset counts from the end. */
    private static void flip(Connection db, String name, int offset) throws SQLException {
        byte[] sealed = sealed(db, name);
        int at = offset < 0 ? sealed.length + offset : offset;
        sealed[at] ^= (byte) 0xff;
        setSealed(db, name, sealed);
    }

    private static int update(Connection db, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            return ps.executeUpdate();
        }
    }

    // ---- checks -------------------------------------------------------------------------

    private static RawClient.Response get(String name) {
        return raw.call("GetSecretValue", "{\"SecretId\":\"tamper/" + name + "\"}");
    }

    private static RawClient.Response getVersion(String name, String versionId) {
        return raw.call("GetSecretValue", "{\"SecretId\":\"tamper/" + name + "\",\"VersionId\":\"" + versionId + "\"}");
    }

    private static void assertDecryptionFailure(RawClient.Response r) {
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.errorType()).as("%s", r).isEqualTo("DecryptionFailure");
        assertThat(r.header("x-amzn-ErrorType")).isEqualTo("DecryptionFailure");
        assertThat(r.json().has("SecretString")).isFalse();
        assertThat(r.json().has("SecretBinary")).isFalse();
        for (String plain : plaintexts.values()) {
            assertThat(r.body()).as("error body").doesNotContain(plain)
                    .doesNotContain(Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void untouchedValue_stillDecryptsAfterRestart() {
        RawClient.Response r = get("untouched");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("SecretString").asText()).isEqualTo(plaintexts.get("untouched"));
    }

    @Test
    void flippedFormatVersionByte_failsToDecrypt() {
        assertDecryptionFailure(get("flip-version-byte"));
    }

    @Test
    void flippedKeyIdInEnvelope_failsToDecrypt() {
        assertDecryptionFailure(get("flip-key-id"));
    }

    @Test
    void flippedByteOfWrappedDataKey_failsToDecrypt() {
        assertDecryptionFailure(get("flip-wrapped-key"));
    }

    @Test
    void flippedByteOfCiphertext_failsToDecrypt() {
        assertDecryptionFailure(get("flip-payload"));
    }

    @Test
    void flippedByteOfAuthenticationTag_failsToDecrypt() {
        assertDecryptionFailure(get("flip-tag"));
    }

    @Test
    void truncatedEnvelope_failsToDecrypt() {
        assertDecryptionFailure(get("truncated"));
    }

    @Test
    void emptiedEnvelope_failsToDecrypt() {
        assertDecryptionFailure(get("emptied"));
    }

    @Test
    void valueMovedToAnotherSecret_failsToDecrypt() {
        assertDecryptionFailure(get("copied-onto"));
        // The source keeps working: the refusal is about where the envelope sits, not the envelope.
        RawClient.Response source = get("copy-source");
        assertThat(source.status()).as("%s", source).isEqualTo(200);
        assertThat(source.json().get("SecretString").asText()).isEqualTo(plaintexts.get("copy-source"));
    }

    @Test
    void valueMovedToAnotherVersionOfTheSameSecret_failsToDecrypt() {
        assertDecryptionFailure(get("same-secret"));
        assertDecryptionFailure(getVersion("same-secret", versionIds.get("same-secret")));
        RawClient.Response old = getVersion("same-secret", sameSecretOldVersion);
        assertThat(old.status()).as("%s", old).isEqualTo(200);
        assertThat(old.json().get("SecretString").asText()).isEqualTo(plaintexts.get("same-secret"));
    }

    @Test
    void versionRowMovedToAnotherSecret_failsToDecrypt() {
        assertDecryptionFailure(get("row-moved-target"));
    }

    @Test
    void versionIdRenamed_failsToDecrypt() {
        assertDecryptionFailure(get("version-renamed"));
        assertDecryptionFailure(getVersion("version-renamed", versionIds.get("version-renamed")));
    }

    @Test
    void secretArnRewritten_failsToDecrypt() {
        assertDecryptionFailure(get("arn-renamed"));
    }

    @Test
    void stringFlaggedAsBinary_failsToDecrypt() {
        assertDecryptionFailure(get("type-s-to-b"));
    }

    @Test
    void binaryFlaggedAsString_failsToDecrypt() {
        assertDecryptionFailure(get("type-b-to-s"));
    }

    @Test
    void keyIdColumnEdited_stillServesTheRightValue_becauseOnlyTheAuthenticatedKeyIdCounts() {
        // The key_id column is an index for key rotation; opening uses the key id inside the
        // envelope, which the envelope authenticates. Editing the column changes nothing.
        RawClient.Response r = get("key-id-column");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("SecretString").asText()).isEqualTo(plaintexts.get("key-id-column"));
    }

    @Test
    void batchGetOverTamperedAndIntactSecrets_reportsDecryptionFailurePerSecret() {
        RawClient.Response r = raw.call("BatchGetSecretValue",
                "{\"SecretIdList\":[\"tamper/untouched\",\"tamper/copied-onto\",\"tamper/flip-tag\"]}");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("SecretValues")).hasSize(1);
        assertThat(r.json().get("SecretValues").get(0).get("SecretString").asText()).isEqualTo(plaintexts.get("untouched"));
        assertThat(r.json().get("Errors")).hasSize(2).allSatisfy(e -> {
            assertThat(e.get("ErrorCode").asText()).isEqualTo("DecryptionFailure");
            assertThat(e.get("SecretId").asText()).isIn("tamper/copied-onto", "tamper/flip-tag");
        });
        assertThat(r.body()).doesNotContain(plaintexts.get("copy-source")).doesNotContain(plaintexts.get("copied-onto"));
    }

    // ---- root key -----------------------------------------------------------------------

    private static Path serverWithOneSecret() throws IOException {
        Path dir = Files.createTempDirectory("coffer-rootkey-");
        TestServer s = TestServer.startOn(dir, c -> c, false);
        try (SecretsManagerClient sm = s.secretsManager()) {
            sm.createSecret(r -> r.name("rootkey/one").secretString("fake-plain-rootkey"));
        }
        s.stop();
        return dir;
    }

    private static int keyringRows(Path dir) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("coffer.db"));
             ResultSet rs = db.createStatement().executeQuery("SELECT COUNT(*) FROM keyring_keys")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    @Test
    void anotherValidRootKey_serverRefusesToStart_sayingTheRootKeyDoesNotMatch() throws Exception {
        Path dir = serverWithOneSecret();
        try {
            byte[] original = Files.readAllBytes(dir.resolve("root.key"));
            int kekRows = keyringRows(dir);
            byte[] other = new byte[32];
            new SecureRandom().nextBytes(other);
            Files.write(dir.resolve("root.key"), Base64.getEncoder().encode(other));

            assertThatThrownBy(() -> TestServer.startOn(dir, c -> c, false))
                    .satisfies(e -> assertThat(rootCause(e)).hasMessageContaining("root key does not match"));
            assertThat(keyringRows(dir)).as("no fresh keys created beside the real ones").isEqualTo(kekRows);

            // Put the right key back: the refusal left nothing behind (lock released, data intact).
            Files.write(dir.resolve("root.key"), original);
            TestServer again = TestServer.startOn(dir, c -> c, false);
            try (SecretsManagerClient sm = again.secretsManager()) {
                assertThat(sm.getSecretValue(r -> r.secretId("rootkey/one")).secretString()).isEqualTo("fake-plain-rootkey");
            } finally {
                again.stop();
            }
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }

    @Test
    void rootKeyOfWrongLength_serverRefusesToStart() throws Exception {
        Path dir = serverWithOneSecret();
        try {
            Files.write(dir.resolve("root.key"), Base64.getEncoder().encode(new byte[31]));
            assertThatThrownBy(() -> TestServer.startOn(dir, c -> c, false))
                    .satisfies(e -> assertThat(rootCause(e)).hasMessageContaining("does not hold a 256-bit key"));
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }

    @Test
    void rootKeyDeleted_serverRefusesToStart_sayingItIsMissing_withoutWritingANewOne() throws Exception {
        Path dir = serverWithOneSecret();
        try {
            int kekRows = keyringRows(dir);
            Files.delete(dir.resolve("root.key"));
            assertThatThrownBy(() -> TestServer.startOn(dir, c -> c, false))
                    .satisfies(e -> assertThat(rootCause(e)).hasMessageContaining("root key file")
                            .hasMessageContaining("does not exist"));
            assertThat(keyringRows(dir)).isEqualTo(kekRows);
            // A new key beside an existing store could never open it; it would only hide what went wrong.
            assertThat(dir.resolve("root.key")).doesNotExist();
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }
}
