package dev.coffer.server.audit.export;

import dev.coffer.server.store.AuditRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Audit events as JSON lines — one CloudTrail record per line, exactly as stored — in files named
 * {@code coffer-audit-<UTC time opened>.jsonl}, so names sort by time. A file is closed and the next begun before it
 * would pass its size, or once it has been open for the rotation time (checked between deliveries as well, so a
 * quiet trail still closes its files for shipping). Retention deletes the oldest closed files beyond the count and
 * those last written longer ago than the age. Each delivery is fsynced before it returns, so the cursor never runs
 * ahead of the disk; a line torn by a crash is cut off when the sink next opens, and its events are written again.
 */
final class JsonLinesFileSink implements AuditSink {
    static final String PREFIX = "coffer-audit-";
    static final String SUFFIX = ".jsonl";
    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final long RETENTION_EVERY_MILLIS = 60_000;

    private final FileExport settings;
    private final Clock clock;
    private FileChannel current;
    private Path currentPath;
    private long currentSize;
    private long openedAt;
    private long lastRetention;

    JsonLinesFileSink(FileExport settings, Clock clock) throws IOException {
        this.settings = settings;
        this.clock = clock;
        Path dir = settings.directory();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.isWritable(dir)) throw new IOException("the audit export directory " + dir + " is not writable");
        List<Path> files = files();
        if (!files.isEmpty()) cutTornLine(files.getLast());
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public synchronized void deliver(List<AuditRow> events) throws IOException {
        if (current != null && clock.millis() - openedAt >= settings.rotateAfter().toMillis()) rotate();
        List<byte[]> lines = new ArrayList<>(events.size());
        for (AuditRow event : events) lines.add((event.recordJson() + "\n").getBytes(StandardCharsets.UTF_8));
        int from = 0;
        while (from < lines.size()) {
            if (current == null) open();
            // Fill the current file up to its size; a file always takes at least one line, however long.
            int to = from;
            long size = currentSize;
            while (to < lines.size() && (size == 0 || size + lines.get(to).length <= settings.rotateBytes())) {
                size += lines.get(to).length;
                to++;
            }
            if (to == from) {
                rotate();
                continue;
            }
            ByteBuffer pending = ByteBuffer.allocate((int) (size - currentSize));
            for (int i = from; i < to; i++) pending.put(lines.get(i));
            pending.flip();
            while (pending.hasRemaining()) current.write(pending);
            current.force(true); // on disk before the cursor moves past these events
            currentSize = size;
            from = to;
            if (currentSize >= settings.rotateBytes()) rotate();
        }
    }

    @Override
    public synchronized void tick() throws IOException {
        long now = clock.millis();
        if (current != null && now - openedAt >= settings.rotateAfter().toMillis()) rotate();
        if (now - lastRetention >= RETENTION_EVERY_MILLIS) applyRetention();
    }

    private void open() throws IOException {
        long now = clock.millis();
        while (true) {
            Path path = settings.directory().resolve(PREFIX + NAME_TIME.format(Instant.ofEpochMilli(now)) + SUFFIX);
            try {
                current = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            } catch (FileAlreadyExistsException e) {
                now++; // two files in one millisecond: the later name still sorts after the earlier
                continue;
            }
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions are what there is
            }
            currentPath = path;
            currentSize = 0;
            openedAt = clock.millis();
            syncDirectory(); // the new name survives a crash too
            return;
        }
    }

    private void rotate() throws IOException {
        if (current != null) {
            current.close();
            current = null;
            currentPath = null;
        }
        applyRetention();
    }

    /**
     * Deletes the oldest closed files beyond the count limit (counting the open or next file) and closed files last
     * written before the age limit.
     */
    void applyRetention() throws IOException {
        lastRetention = clock.millis();
        List<Path> closed = new ArrayList<>(files());
        closed.remove(currentPath);
        // One place is the open file's, or the next one's: retention also runs just before a file is opened.
        int keep = settings.keepFiles() == 0 ? Integer.MAX_VALUE : settings.keepFiles() - 1;
        long oldest = settings.keepFor().isZero() ? Long.MIN_VALUE : clock.millis() - settings.keepFor().toMillis();
        for (int i = 0; i < closed.size(); i++) {
            Path file = closed.get(i);
            boolean beyondCount = closed.size() - i > keep;
            if (beyondCount || Files.getLastModifiedTime(file).toMillis() < oldest) Files.deleteIfExists(file);
        }
    }

    /** The export files in the directory, oldest first (by name, which is by time). */
    List<Path> files() throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(settings.directory(), PREFIX + "*" + SUFFIX)) {
            for (Path p : dir) found.add(p);
        }
        found.sort(null);
        return found;
    }

    /** Cuts a last line left unfinished by a crash; its events were not confirmed, so they are written again. */
    private static void cutTornLine(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = ch.size();
            long keep = end;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') break;
                keep--;
            }
            if (keep < end) {
                ch.truncate(keep);
                ch.force(true);
            }
        }
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(settings.directory(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some platforms cannot open a directory; the file's own fsync still holds its content
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (current != null) current.close();
            current = null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "files in " + settings.directory();
    }
}
