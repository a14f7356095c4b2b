package dev.coffer.server.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The embedded deployment's directory: the SQLite file, the root key, the bootstrap
 * credentials. Created owner-only (0700), and locked while a server runs so a second
 * server cannot open the same store.
 */
final class DataDirectory implements AutoCloseable {
    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    static DataDirectory open(Path dir) {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            FileChannel channel = FileChannel.open(dir.resolve("coffer.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another Coffer server is already running on " + dir.toAbsolutePath());
            }
            return new DataDirectory(dir, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open data directory " + dir, e);
        }
    }

    Path database() {
        return dir.resolve("coffer.db");
    }

    Path rootKey() {
        return dir.resolve("root.key");
    }

    Path adminCredentials() {
        return dir.resolve("admin.credentials");
    }

    Path selfSignedCertificate() {
        return dir.resolve("tls").resolve("self-signed.pem");
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
