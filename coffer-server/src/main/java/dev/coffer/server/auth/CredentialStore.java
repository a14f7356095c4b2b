package dev.coffer.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.identities.RowMacs;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.store.AccessKeyRepository.AccessKeyRow;
import dev.coffer.server.store.ChangeDomain;
import dev.coffer.server.store.IdentityRepository.UserRow;
import dev.coffer.server.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks up access keys for SigV4 verification. Keys are stored sealed by the keyring;
 * an opened key is cached so that a busy client does not cost a database read and a
 * decryption per request. An entry is trusted only while the store's identities change
 * counter still reads what it read when the key was loaded, so a key deactivated or
 * deleted stops working with the next request; {@link #CACHE_TTL} bounds how long an
 * opened secret stays in memory at all.
 *
 * <p>A key answers for the IAM user it belongs to (by unique id): the principal's ARN and user id
 * come from the users table, so a renamed user keeps its keys. A key row or user row whose MAC
 * does not verify is refused. Last use is recorded off the request's path, at most once a minute
 * per key, and never fails a request.
 */
public final class CredentialStore {
    private static final Logger log = LoggerFactory.getLogger(CredentialStore.class);
    static final Duration CACHE_TTL = Duration.ofSeconds(30);
    static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    private final Store store;
    private final Keyring keyring;
    private final RowMacs macs;
    private final Clock clock;
    private final Cache<String, Loaded> cache =
            Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();
    private final ConcurrentMap<String, Long> lastRecorded = new ConcurrentHashMap<>();

    private record Loaded(Optional<AccessKeyCredentials> credentials, long identitiesCounter) {}

    public CredentialStore(Store store, Keyring keyring) {
        this(store, keyring, new RowMacs(keyring), Clock.systemUTC());
    }

    public CredentialStore(Store store, Keyring keyring, RowMacs macs, Clock clock) {
        this.store = store;
        this.keyring = keyring;
        this.macs = macs;
        this.clock = clock;
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

    /**
     * Notes that a long-term key signed a request: at most one store write per key per minute, on a
     * virtual thread, so the request neither waits for it nor fails with it.
     */
    void recordUse(String accessKeyId, String region, String service) {
        long now = clock.millis();
        Long last = lastRecorded.get(accessKeyId);
        if (last != null && now - last < LAST_USED_GRANULARITY.toMillis()) return;
        boolean won = last == null ? lastRecorded.putIfAbsent(accessKeyId, now) == null
                : lastRecorded.replace(accessKeyId, last, now);
        if (!won) return;
        if (lastRecorded.size() > 100_000) lastRecorded.clear();
        Thread.ofVirtual().name("coffer-key-last-used").start(() -> {
            try {
                store.write(tx -> {
                    tx.accessKeys().recordLastUsed(accessKeyId, now, region, service);
                    return null;
                });
            } catch (RuntimeException e) {
                log.warn("recording the last use of access key {} failed: {}", accessKeyId, e.toString());
            }
        });
    }

    private Optional<AccessKeyCredentials> load(String accessKeyId) {
        record Found(AccessKeyRow key, Optional<UserRow> user) {}
        Optional<Found> found = store.read(tx -> {
            Optional<AccessKeyRow> key = tx.accessKeys().find(accessKeyId);
            if (key.isEmpty() || key.get().userId() == null) return Optional.empty();
            return Optional.of(new Found(key.get(), tx.identities().findUserById(key.get().accountId(), key.get().userId())));
        });
        if (found.isEmpty()) return Optional.empty();
        AccessKeyRow r = found.get().key();
        if (!macs.verify(r) || !"Active".equals(r.status())) return Optional.empty();
        Optional<UserRow> user = found.get().user();
        if (user.isEmpty() || !macs.verify(user.get())) return Optional.empty();
        SecretBytes secret = keyring.openAccessKeySecret(r.accessKeyId(), r.accountId(), r.principalArn(), r.secretSealed());
        Principal principal = new Principal(r.accountId(), user.get().arn(), user.get().userId(), r.accessKeyId(),
                Principal.Kind.USER);
        return Optional.of(new AccessKeyCredentials(principal, secret));
    }
}
