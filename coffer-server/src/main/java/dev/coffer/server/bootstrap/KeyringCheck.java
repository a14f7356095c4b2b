package dev.coffer.server.bootstrap;

import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.seal.FileRootKeySource;
import dev.coffer.server.store.StoreException;
import dev.coffer.server.store.snapshot.SnapshotException;
import dev.coffer.server.store.snapshot.StoreCheck;
import java.nio.file.Path;
import java.time.Clock;

/** The check that a root key opens a store's keyring — the same {@link Keyring#open} a starting node does — as a snapshot check. */
final class KeyringCheck {
    private KeyringCheck() {}

    static StoreCheck opensWith(Path rootKeyFile) {
        return view -> {
            try {
                Keyring.open(FileRootKeySource.existing(rootKeyFile), view, Clock.systemUTC());
            } catch (StoreException e) {
                throw new SnapshotException("the store has no complete keyring (start a Coffer server on it once first)");
            } catch (IllegalStateException e) {
                throw new SnapshotException(e.getMessage() + " (root key " + rootKeyFile + ")");
            }
        };
    }
}
