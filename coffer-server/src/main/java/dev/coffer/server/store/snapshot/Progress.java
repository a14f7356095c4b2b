package dev.coffer.server.store.snapshot;

import java.util.List;

/** Told how a copy advances, for a progress display. Rows are counted before the copy starts. */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void started(List<SnapshotHeader.TableCount> tables) {}

        @Override
        public void advanced(String table, long tableDone, long tableTotal, long allDone, long allTotal) {}

        @Override
        public void finished() {}
    };

    void started(List<SnapshotHeader.TableCount> tables);

    /** Called every few hundred rows of a table, and exactly once when it is complete ({@code tableDone == tableTotal}). */
    void advanced(String table, long tableDone, long tableTotal, long allDone, long allTotal);

    void finished();
}
