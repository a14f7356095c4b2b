package dev.coffer.server.bootstrap;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.seal.FileRootKeySource;
import java.nio.file.Path;

/** The root key file an operator command uses: the one given, else DATA_DIR/root.key. */
final class RootKeyFile {
    private RootKeyFile() {}

    static Path resolve(Path given, StoreAddress address) {
        if (given != null) return given;
        if (address.defaultRootKey() != null) return address.defaultRootKey();
        throw new IllegalArgumentException("give the deployment's root key with --root-key-file (on PostgreSQL there is no "
                + "data directory to find it in)");
    }

    /** The key's bytes; the caller closes them. */
    static SecretBytes read(Path file) {
        return FileRootKeySource.existing(file).rootKey();
    }
}
