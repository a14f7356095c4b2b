package dev.coffer.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.store.AccessKeyRepository.AccessKeyRow;
import dev.coffer.server.store.ChangeDomain;
import dev.coffer.server.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Looks up access keys for SigV4 verification. Keys are stored sealed by the keyring;
 * an opened key is cached so that a busy client does not cost a database read and a
 * decryption per request. An entry is trusted only while the store's identities change
 * counter still reads what it read when the key was loaded, so a key deactivated or
 * deleted stops working with the next request; {@link #CACHE_TTL} bounds how long an
 * opened secret stays in memory at all.
 */
public final class CredentialStore {
    static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final Store store;
    private final Keyring keyring;
    private final Cache<String, Loaded> cache =
            Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();

    private record Loaded(Optional<AccessKeyCredentials> credentials, long identitiesCounter) {}

    public CredentialStore(Store store, Keyring keyring) {
        this.store = store;
        this.keyring = keyring;
    }

    Optional<AccessKeyCredentials> find(String accessKeyId) {
        long counter = store.changeCounter(ChangeDomain.IDENTITIES);
        Loaded loaded = cache.getIfPresent(accessKeyId);
        if (loaded == null || loaded.identitiesCounter() != counter) {
            loaded = new Loaded(load(accessKeyId), counter);
            cache.put(accessKeyId, loaded);
        }
        return loaded.credentials();
    }

    public void invalidate(String accessKeyId) {
        cache.invalidate(accessKeyId);
    }

    private Optional<AccessKeyCredentials> load(String accessKeyId) {
        Optional<AccessKeyRow> row = store.read(tx -> tx.accessKeys().find(accessKeyId));
        if (row.isEmpty() || !"Active".equals(row.get().status())) return Optional.empty();
        AccessKeyRow r = row.get();
        SecretBytes secret = keyring.openAccessKeySecret(r.accessKeyId(), r.accountId(), r.principalArn(), r.secretSealed());
        Principal principal = new Principal(r.accountId(), r.principalArn(), userIdFor(r), r.accessKeyId(), Principal.Kind.USER);
        return Optional.of(new AccessKeyCredentials(principal, secret));
    }

    private static String userIdFor(AccessKeyRow r) {
        // A stable AWS-style unique id (AIDA…) derived from the principal's ARN.
        byte[] digest = dev.coffer.crypto.Hashing.sha256(r.principalArn().getBytes(StandardCharsets.UTF_8));
        StringBuilder id = new StringBuilder("AIDA");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        for (int i = 0; i < 17; i++) id.append(alphabet.charAt((digest[i] & 0xff) % alphabet.length()));
        return id.toString();
    }
}
