package dev.coffer.server.bootstrap;

import dev.coffer.server.access.IamInventory;
import dev.coffer.server.store.AccessKeyRepository.AccessKeyRow;
import dev.coffer.server.store.IdentityRepository.PolicyRow;
import dev.coffer.server.store.IdentityRepository.UserRow;
import dev.coffer.server.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The IAM facts the access lint needs beyond decisions — customer managed policies with their
 * attachment counts, access keys with their last use — read from the identity store. It lives in
 * bootstrap because it joins two packages that must not know each other (access, store).
 */
final class StoreIamInventory implements IamInventory {
    private final Store store;

    StoreIamInventory(Store store) {
        this.store = store;
    }

    @Override
    public List<ManagedPolicy> managedPolicies(String accountId) {
        return store.read(tx -> {
            List<ManagedPolicy> out = new ArrayList<>();
            for (PolicyRow p : tx.identities().policies(accountId)) {
                out.add(new ManagedPolicy(accountId, p.arn(), tx.identities().attachmentsOf(accountId, p.arn()).size()));
            }
            return out;
        });
    }

    @Override
    public List<AccessKey> accessKeys(String accountId) {
        return store.read(tx -> {
            List<AccessKey> out = new ArrayList<>();
            for (UserRow user : tx.identities().users(accountId)) {
                for (AccessKeyRow k : tx.accessKeys().forUser(accountId, user.userId())) {
                    out.add(new AccessKey(accountId, user.arn(), k.accessKeyId(), "Active".equals(k.status()),
                            Instant.ofEpochMilli(k.createdAt()), k.lastUsedAt() == null ? null : Instant.ofEpochMilli(k.lastUsedAt())));
                }
            }
            return out;
        });
    }
}
