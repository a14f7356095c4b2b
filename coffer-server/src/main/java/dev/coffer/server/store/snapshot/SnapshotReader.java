package dev.coffer.server.store.snapshot;

import dev.coffer.crypto.SecretBytes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a snapshot file's content in order, checking as it goes that it is exactly what its header promises: the
 * tables in the header's order, each with its row count, and the content digest at the end. Anything else — a chunk
 * that fails to open, a truncation, a count or digest that differs — throws {@link SnapshotException}.
 */
final class SnapshotReader implements AutoCloseable {
    /** Receives the content of a verified-so-far snapshot. */
    interface Visitor {
        void table(Table table) throws Exception;

        void row(Table table, Object[] values) throws Exception;

        void tableEnd(Table table, long rows) throws Exception;
    }

    private final InputStream file;
    private final SnapshotHeader header;
    private final LogicalReader content;

    private SnapshotReader(InputStream file, SnapshotHeader header, LogicalReader content) {
        this.file = file;
        this.header = header;
        this.content = content;
    }

    static SnapshotReader open(Path path, SecretBytes rootKey) {
        InputStream file;
        try {
            file = new BufferedInputStream(Files.newInputStream(path), 64 * 1024);
        } catch (NoSuchFileException e) {
            throw new SnapshotException("there is no snapshot file " + path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        try {
            SnapshotFile.Opened opened = SnapshotFile.open(file, rootKey);
            return new SnapshotReader(file, opened.header(), new LogicalReader(opened.content()));
        } catch (IOException e) {
            closeQuietly(file);
            throw new UncheckedIOException("cannot read " + path, e);
        } catch (RuntimeException e) {
            closeQuietly(file);
            throw e;
        }
    }

    SnapshotHeader header() {
        return header;
    }

    /** Reads everything, handing it to {@code visitor}; returns the tables as the snapshot describes them. */
    List<Table> read(Visitor visitor) throws Exception {
        List<Table> tables = new java.util.ArrayList<>();
        Iterator<SnapshotHeader.TableCount> expected = header.tables().iterator();
        while (true) {
            LogicalReader.Item item = content.next();
            switch (item) {
                case LogicalReader.TableStart start -> {
                    Table table = start.table();
                    if (!expected.hasNext() || !expected.next().name().equals(table.name())) {
                        throw new SnapshotException("the snapshot's tables differ from its header (" + table.name() + ")");
                    }
                    tables.add(table);
                    visitor.table(table);
                    long rows = 0;
                    for (LogicalReader.Item next = content.next(); ; next = content.next()) {
                        if (next instanceof LogicalReader.Row row) {
                            visitor.row(table, row.values());
                            rows++;
                        } else if (next instanceof LogicalReader.TableEnd end) {
                            long promised = header.tables().get(tables.size() - 1).rows();
                            if (end.rows() != rows || rows != promised) {
                                throw new SnapshotException("table " + table.name() + " holds " + rows + " rows; the header says "
                                        + promised);
                            }
                            visitor.tableEnd(table, rows);
                            break;
                        } else {
                            throw new SnapshotException("the snapshot's content is malformed in table " + table.name());
                        }
                    }
                }
                case LogicalReader.End end -> {
                    if (expected.hasNext()) throw new SnapshotException("the snapshot ends before all its tables");
                    if (!end.digest().equals(header.digest())) {
                        throw new SnapshotException("the snapshot's content digest differs from its header's");
                    }
                    if (!content.atEnd()) throw new SnapshotException("the snapshot has content after its end");
                    return tables;
                }
                default -> throw new SnapshotException("the snapshot's content is malformed");
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(file);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }
}
