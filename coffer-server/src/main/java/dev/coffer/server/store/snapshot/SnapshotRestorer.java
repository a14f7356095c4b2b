package dev.coffer.server.store.snapshot;

import dev.coffer.crypto.SecretBytes;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a snapshot file into an empty database of either engine. The file is read twice: once to check all of it
 * (root key, every chunk, counts, digest) before the target is touched, and once to load it.
 */
public final class SnapshotRestorer {
    /** What was restored, and the migrations applied after loading (when the snapshot's schema was older). */
    public record Restored(SnapshotHeader header, List<String> migratedAfter) {}

    private SnapshotRestorer() {}

    /** Reads and checks the whole file, touching no database; returns its (now authenticated) header. */
    public static SnapshotHeader verify(Path file, SecretBytes rootKey) {
        try (SnapshotReader reader = SnapshotReader.open(file, rootKey)) {
            reader.read(new SnapshotReader.Visitor() {
                @Override
                public void table(Table table) {}

                @Override
                public void row(Table table, Object[] values) {}

                @Override
                public void tableEnd(Table table, long rows) {}
            });
            return reader.header();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SnapshotException("reading " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** Refuses, touching nothing, a target that is not empty or cannot take the snapshot's schema. */
    public static void checkTarget(Database target, SnapshotHeader header) {
        LoadTarget.check(target, header.schemaVersion());
    }

    /** Loads a file {@link #verify} accepted into a target {@link #checkTarget} accepted. */
    public static Restored load(Path file, SecretBytes rootKey, Database target, StoreCheck keyringCheck) {
        try (SnapshotReader reader = SnapshotReader.open(file, rootKey)) {
            SnapshotHeader header = reader.header();
            List<String> after = LoadTarget.load(target, header.schemaVersion(), header.digest(), keyringCheck,
                    (c, targetTables) -> reader.read(new SnapshotReader.Visitor() {
                        private RowInserter inserter;

                        @Override
                        public void table(Table table) throws Exception {
                            LoadTarget.matching(targetTables, table);
                            inserter = new RowInserter(c, table);
                        }

                        @Override
                        public void row(Table table, Object[] values) throws Exception {
                            inserter.add(values);
                        }

                        @Override
                        public void tableEnd(Table table, long rows) throws Exception {
                            inserter.close();
                        }
                    }));
            return new Restored(header, after);
        }
    }
}
