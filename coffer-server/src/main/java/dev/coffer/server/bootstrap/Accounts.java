package dev.coffer.server.bootstrap;

import dev.coffer.server.store.Store;
import java.security.SecureRandom;

/** The deployment's account id: given on first start, or 12 random digits; fixed afterwards. */
final class Accounts {
    private static final String META_KEY = "account_id";

    private Accounts() {}

    static String ensureAccountId(Store store, String requested, SecureRandom random) {
        if (requested != null && !requested.matches("\\d{12}")) {
            throw new IllegalArgumentException("an account id is 12 digits: " + requested);
        }
        String candidate = requested != null ? requested : randomAccountId(random);
        String stored = store.write(tx -> tx.meta().putIfAbsent(META_KEY, candidate));
        if (requested != null && !requested.equals(stored)) {
            throw new IllegalArgumentException("this data directory belongs to account " + stored + ", not " + requested);
        }
        return stored;
    }

    private static String randomAccountId(SecureRandom random) {
        StringBuilder id = new StringBuilder();
        id.append(1 + random.nextInt(9)); // no leading zero, so tools that parse it as a number keep all 12 digits
        for (int i = 1; i < 12; i++) id.append(random.nextInt(10));
        return id.toString();
    }
}
