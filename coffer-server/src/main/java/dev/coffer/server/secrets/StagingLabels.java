package dev.coffer.server.secrets;

import dev.coffer.server.store.SecretRepository;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * How staging labels move, as AWS moves them. A label sits on at most one version. When
 * AWSCURRENT moves, the version that held it becomes AWSPREVIOUS (taking that label from
 * whoever had it). A version left with no labels is deprecated.
 */
final class StagingLabels {
    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";
    static final String PENDING = "AWSPENDING";

    private StagingLabels() {}

    /**
     * Labels a brand-new version (PutSecretValue, UpdateSecret, CreateSecret). When it
     * takes AWSCURRENT, the old current version becomes AWSPREVIOUS and, as AWS does,
     * also loses AWSPENDING.
     */
    static void labelNewVersion(SecretRepository repo, String secretId, String versionId, List<String> labels)
            throws SQLException {
        Map<String, List<String>> before = repo.stages(secretId);
        String oldCurrent = holderOf(before, CURRENT);
        for (String label : labels) {
            repo.setStage(secretId, label, versionId);
        }
        if (labels.contains(CURRENT) && oldCurrent != null && !oldCurrent.equals(versionId)) {
            repo.setStage(secretId, PREVIOUS, oldCurrent);
            if (oldCurrent.equals(holderOf(before, PENDING)) && !labels.contains(PENDING)) {
                repo.removeStage(secretId, PENDING);
            }
        }
    }

    /** Moves one label to an existing version (UpdateSecretVersionStage). */
    static void move(SecretRepository repo, String secretId, String label, String toVersionId, String fromVersionId)
            throws SQLException {
        repo.setStage(secretId, label, toVersionId);
        if (CURRENT.equals(label) && fromVersionId != null && !fromVersionId.equals(toVersionId)) {
            repo.setStage(secretId, PREVIOUS, fromVersionId);
        }
    }

    static String holderOf(Map<String, List<String>> stages, String label) {
        for (var entry : stages.entrySet()) {
            if (entry.getValue().contains(label)) return entry.getKey();
        }
        return null;
    }
}
