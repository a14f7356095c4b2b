package dev.coffer.server.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded deployment's directory: the SQLite file, the root key, the bootstrap
 * credentials. Kept owner-only (0700: created so, or tightened at start), and locked while a server runs so a second
 * server cannot open the same store.
 */
final class DataDirectory implements AutoCloseable {
    /**
     * Directories locked by this JVM. A file lock belongs to the whole process, so a second
     * tryLock here would throw OverlappingFileLockException rather than say "in use", and
     * closing that second channel may drop the first server's lock on some systems: the
     * check is made here, before any channel is opened.
     */
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private static final Set<Path> HELD_BY_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final Path key;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path dir, Path key, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.key = key;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    static DataDirectory open(Path dir) {
        Path key;
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else if (!Files.getPosixFilePermissions(dir).equals(OWNER_ONLY)) {
                // An existing directory (a volume, a systemd state dir) may be readable by others; the
                // database's names, tags and descriptions are plaintext, so close it before opening it.
                log.warn("data directory {} was {}; setting it to rwx------", dir,
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
                Files.setPosixFilePermissions(dir, OWNER_ONLY);
            }
            key = dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open data directory " + dir, e);
        }
        if (!HELD_BY_THIS_PROCESS.add(key)) throw alreadyRunning(dir);
        try {
            FileChannel channel = FileChannel.open(dir.resolve("coffer.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw alreadyRunning(dir);
            }
            return new DataDirectory(dir, key, channel, lock);
        } catch (IOException e) {
            HELD_BY_THIS_PROCESS.remove(key);
            throw new UncheckedIOException("cannot open data directory " + dir, e);
        } catch (RuntimeException e) {
            HELD_BY_THIS_PROCESS.remove(key);
            throw e;
        }
    }

    private static IllegalStateException alreadyRunning(Path dir) {
        return new IllegalStateException("another Coffer server is already running on " + dir.toAbsolutePath());
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

    Path selfSignedKey() {
        return dir.resolve("tls").resolve("self-signed-key.pem");
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            HELD_BY_THIS_PROCESS.remove(key);
        }
    }
}
