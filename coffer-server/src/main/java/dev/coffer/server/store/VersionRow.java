package dev.coffer.server.store;

/** One immutable secret version: the sealed value and which keyring key wrapped it. */
public record VersionRow(
        String secretId,
        String versionId,
        long createdAt,
        Long lastAccessedAt,
        char valueType,
        byte[] sealedValue,
        int keyId) {

    public static final char STRING = 'S';
    public static final char BINARY = 'B';

    @Override
    public String toString() {
        return "VersionRow[" + secretId + "/" + versionId + "]";
    }
}
