package dev.coffer.server.store.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * What a snapshot file says about itself, in clear but authenticated: every chunk's associated data binds the header's
 * exact bytes, so an edited header opens no chunk. {@code salt} makes each file's key its own; {@code keyCheck} tells a
 * wrong root key apart from a damaged file. Neither reveals anything about the root key.
 *
 * @param format        the file format's version ({@link #FORMAT})
 * @param schemaVersion the Flyway schema version of the store the snapshot was taken from
 * @param sourceEngine  {@code sqlite} or {@code postgresql}
 * @param createdAt     ISO 8601 instant the snapshot was taken
 * @param tables        each table, in load order, and its row count
 * @param digest        lower-case hex SHA-256 of the canonical logical content
 * @param chunkSize     plaintext bytes per chunk (the last may be shorter)
 * @param salt          base64 HKDF salt for this file's key
 * @param keyCheck      base64 value derived from the root key and salt, distinct from the key
 */
public record SnapshotHeader(int format, String schemaVersion, String sourceEngine, String createdAt, List<TableCount> tables,
                             String digest, int chunkSize, String salt, String keyCheck) {
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public record TableCount(String name, long rows) {}

    public SnapshotHeader {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    public long totalRows() {
        return tables.stream().mapToLong(TableCount::rows).sum();
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static SnapshotHeader fromJson(byte[] json) {
        try {
            return JSON.readValue(json, SnapshotHeader.class);
        } catch (IOException e) {
            throw new SnapshotException("the file's header is not a Coffer snapshot header (damaged?)");
        }
    }
}
