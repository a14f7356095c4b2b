package dev.coffer.server.store.snapshot;

import dev.coffer.server.store.Store;

/**
 * A check made by code above the store on a database state before an operation goes on: that the root key opens the
 * keyring of a snapshot being taken, or of a restore before it commits. Throws to refuse.
 */
@FunctionalInterface
public interface StoreCheck {
    void check(Store view);
}
