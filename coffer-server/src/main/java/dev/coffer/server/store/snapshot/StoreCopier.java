package dev.coffer.server.store.snapshot;

import dev.coffer.server.store.ConnectionStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a whole store into an empty database of the other engine, without a file: the source is read in one read
 * transaction, the target written in one transaction, and the target's content digest must equal the source's before it
 * commits.
 */
public final class StoreCopier {
    private static final int REPORT_EVERY = 200;

    /** What was copied. */
    public record Copied(String schemaVersion, List<SnapshotHeader.TableCount> tables, String digest, List<String> migratedAfter) {
        public long totalRows() {
            return tables.stream().mapToLong(SnapshotHeader.TableCount::rows).sum();
        }
    }

    private StoreCopier() {}

    /**
     * @param keyringCheck asked of the source before copying and of the loaded target before it commits
     */
    public static Copied copy(Database source, Database target, StoreCheck keyringCheck, Progress progress) {
        if (!source.exists()) throw new SnapshotException("there is no Coffer database at " + source.describe());
        try (Connection from = source.openSnapshot()) {
            try {
                String schema = Catalog.schemaVersion(from);
                if (schema == null) throw new SnapshotException(source.describe() + " holds no Coffer schema");
                keyringCheck.check(new ConnectionStore(from));
                LoadTarget.check(target, schema);
                List<Table> tables = Catalog.tables(from);
                List<SnapshotHeader.TableCount> counts = new ArrayList<>();
                long total = 0;
                for (Table t : tables) {
                    long n = Catalog.count(from, t);
                    counts.add(new SnapshotHeader.TableCount(t.name(), n));
                    total += n;
                }
                String digest = ContentDigest.of(from, source.engine(), tables);
                progress.started(counts);
                long allTotal = total;
                long[] allDone = {0};
                List<String> after = LoadTarget.load(target, schema, digest, keyringCheck, (to, targetTables) -> {
                    for (int i = 0; i < tables.size(); i++) {
                        Table table = tables.get(i);
                        long tableTotal = counts.get(i).rows();
                        LoadTarget.matching(targetTables, table);
                        long[] done = {0};
                        try (RowInserter inserter = new RowInserter(to, table)) {
                            TableScan.scan(from, source.engine(), table, values -> {
                                inserter.add(values);
                                done[0]++;
                                allDone[0]++;
                                if (done[0] % REPORT_EVERY == 0 && done[0] < tableTotal) { // the last row is reported below
                                    progress.advanced(table.name(), done[0], tableTotal, allDone[0], allTotal);
                                }
                            });
                        }
                        progress.advanced(table.name(), done[0], done[0], allDone[0], allTotal);
                    }
                    return tables;
                });
                progress.finished();
                return new Copied(schema, counts, digest, after);
            } finally {
                from.rollback();
            }
        } catch (SQLException e) {
            throw new SnapshotException("reading " + source.describe() + " failed: " + e.getMessage(), e);
        }
    }
}
