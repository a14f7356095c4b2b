package dev.coffer.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.store.AccessKeyRepository.AccessKeyRow;
import dev.coffer.server.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Looks up access keys for SigV4 verification. Keys are stored sealed by the keyring;
 * an opened key is cached briefly so that a busy client does not cost a database read
 * and a decryption per request. A key deactivated or deleted stops working when its
 * cache entry expires (at most {@link #CACHE_TTL}) or at once on this node via
 * {@link #invalidate}.
 */
public final class CredentialStore {
    static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final Store store;
    private final Keyring keyring;
    private final Cache<String, Optional<AccessKeyCredentials>> cache =
            Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();

    public CredentialStore(Store store, Keyring keyring) {
        this.store = store;
        this.keyring = keyring;
    }

    Optional<AccessKeyCredentials> find(String accessKeyId) {
        return cache.get(accessKeyId, this::load);
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
