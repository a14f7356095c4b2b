package dev.coffer.server.seal;

import dev.coffer.crypto.Aead;
import dev.coffer.crypto.SecretBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * A root key kept in a file readable by its owner only (mode 0600), as base64 text.
 * Created on first start; afterwards it must be present and well formed, or Coffer
 * refuses to start rather than create a new key that cannot open the existing data.
 */
public final class FileRootKeySource implements RootKeySource {
    private final Path file;

    private FileRootKeySource(Path file) {
        this.file = file;
    }

    public static FileRootKeySource existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("root key file " + file + " does not exist");
        }
        return new FileRootKeySource(file);
    }

    /** Creates the file with a fresh random key when it is missing. */
    public static FileRootKeySource createIfMissing(Path file) {
        if (!Files.exists(file)) {
            try (SecretBytes key = Aead.newKey()) {
                writeOwnerOnly(file, Base64.getEncoder().encode(key.bytes()));
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create root key file " + file, e);
            }
        }
        return existing(file);
    }

    /** Writes a new file with owner-only permissions from the first byte on. */
    public static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        Files.createFile(file, ownerOnly);
        Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public SecretBytes rootKey() {
        byte[] text = null;
        try {
            text = Files.readAllBytes(file);
            byte[] key = Base64.getDecoder().decode(new String(text, StandardCharsets.US_ASCII).strip());
            if (key.length != 32) {
                java.util.Arrays.fill(key, (byte) 0);
                throw new IllegalStateException("root key file " + file + " does not hold a 256-bit key");
            }
            return SecretBytes.wrap(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read root key file " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("root key file " + file + " is not valid base64", e);
        } finally {
            if (text != null) java.util.Arrays.fill(text, (byte) 0);
        }
    }

    @Override
    public String describe() {
        return "file " + file;
    }
}
