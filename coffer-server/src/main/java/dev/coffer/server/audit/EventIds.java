package dev.coffer.server.audit;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * CloudTrail-style event ids (UUIDs) that are time-ordered: version 7, 48 bits of Unix milliseconds then
 * random bits. Still unique and unguessable, but each new id sorts after the ids before it, so the unique
 * index on event ids grows at its end instead of dirtying a random page of the index per event (which
 * cost more than the rest of an append together).
 */
final class EventIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private EventIds() {}

    /** The millisecond an id of ours was made in, or -1 for a string that is not one. */
    static long millisOf(String eventId) {
        try {
            UUID id = UUID.fromString(eventId);
            return id.version() == 7 ? id.getMostSignificantBits() >>> 16 : -1;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    static String next(long epochMillis) {
        byte[] r = new byte[10];
        RANDOM.nextBytes(r);
        long high = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | ((r[0] & 0x0FL) << 8) | (r[1] & 0xFFL);
        long low = 0x8000_0000_0000_0000L | (((long) r[2] & 0x3F) << 56);
        for (int i = 3; i < 10; i++) low |= ((long) r[i] & 0xFF) << (8 * (9 - i));
        return new UUID(high, low).toString();
    }
}
