package dev.coffer.server.store.snapshot;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.store.ConnectionStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Takes a snapshot of a whole store into an encrypted file, while the store keeps serving: everything is read in one
 * read-only transaction (see {@link Engine#beginSnapshot}), so the file is one consistent state however many writes
 * commit meanwhile. Two passes over that same transaction: the first counts rows and computes the content digest for the
 * header, the second writes the content, which must come out with the same digest. One row is in memory at a time.
 */
public final class SnapshotWriter {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What was written: the header (tables, rows, digest) and the file's size. */
    public record Written(SnapshotHeader header, long bytes) {}

    private SnapshotWriter() {}

    /**
     * Writes the snapshot to {@code out}, which must not exist; it appears (owner-only, 0600) only once complete.
     *
     * @param keyringCheck asked, before anything is written, whether the root key opens the snapshot's keyring
     */
    public static Written write(Database source, SecretBytes rootKey, StoreCheck keyringCheck, Path out, Clock clock) {
        return write(source, rootKey, keyringCheck, out, clock, ChunkFraming.DEFAULT_CHUNK);
    }

    static Written write(Database source, SecretBytes rootKey, StoreCheck keyringCheck, Path out, Clock clock, int chunkSize) {
        if (Files.exists(out)) throw new SnapshotException(out + " already exists; give a new file name");
        if (!source.exists()) throw new SnapshotException("there is no Coffer database at " + source.describe());
        Path partial = out.toAbsolutePath().resolveSibling("." + out.getFileName() + ".partial");
        try (Connection c = source.openSnapshot()) {
            try {
                String schema = Catalog.schemaVersion(c);
                if (schema == null) throw new SnapshotException(source.describe() + " holds no Coffer schema");
                keyringCheck.check(new ConnectionStore(c));
                List<Table> tables = Catalog.tables(c);

                List<SnapshotHeader.TableCount> counts = new ArrayList<>();
                LogicalWriter survey = new LogicalWriter(OutputStream.nullOutputStream());
                for (Table table : tables) {
                    survey.table(table);
                    long rows = TableScan.scan(c, source.engine(), table, values -> survey.row(table, values));
                    survey.tableEnd(rows);
                    counts.add(new SnapshotHeader.TableCount(table.name(), rows));
                }
                String digest = survey.end();

                byte[] salt = new byte[SnapshotKey.SALT_LENGTH];
                RANDOM.nextBytes(salt);
                SnapshotHeader header = new SnapshotHeader(SnapshotHeader.FORMAT, schema, source.engine().wireName(),
                        clock.instant().toString(), counts, digest, chunkSize, Base64.getEncoder().encodeToString(salt),
                        Base64.getEncoder().encodeToString(SnapshotKey.check(rootKey, salt)));
                writeFile(c, source.engine(), tables, header, rootKey, partial);
                publish(partial, out);
                return new Written(header, Files.size(out));
            } finally {
                c.rollback(); // ends the read transaction; nothing was written
            }
        } catch (SQLException e) {
            throw new SnapshotException("reading " + source.describe() + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + out + " failed", e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // best effort: a leftover partial file is named as such and holds only ciphertext
            }
        }
    }

    /** Gives the complete file its name without replacing a file that appeared meanwhile (a rename would). */
    private static void publish(Path partial, Path out) throws IOException {
        try {
            Files.createLink(out, partial);
        } catch (FileAlreadyExistsException e) {
            throw new SnapshotException(out + " appeared while the snapshot was written; not replaced");
        } catch (UnsupportedOperationException | IOException noHardLinks) {
            if (Files.exists(out)) throw new SnapshotException(out + " appeared while the snapshot was written; not replaced");
            Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void writeFile(Connection c, Engine engine, List<Table> tables, SnapshotHeader header, SecretBytes rootKey,
                                  Path partial) throws IOException, SQLException {
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            String digest;
            try (OutputStream sealed = SnapshotFile.create(file, header, rootKey)) {
                LogicalWriter content = new LogicalWriter(sealed);
                for (Table table : tables) {
                    content.table(table);
                    long rows = TableScan.scan(c, engine, table, values -> content.row(table, values));
                    content.tableEnd(rows);
                }
                digest = content.end();
            }
            file.flush();
            if (!digest.equals(header.digest())) {
                throw new SnapshotException("the store changed under the snapshot's read transaction; nothing was written");
            }
            channel.force(true); // on disk before it takes its final name
        }
    }
}
