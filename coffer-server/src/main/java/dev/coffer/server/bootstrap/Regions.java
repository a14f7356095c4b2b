package dev.coffer.server.bootstrap;

import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Which regions a server accepts: a configured list, or any well-formed AWS region name. */
final class Regions {
    private static final Pattern WELL_FORMED = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    private Regions() {}

    static Predicate<String> accepted(Set<String> configured) {
        if (configured.isEmpty()) return region -> region != null && WELL_FORMED.matcher(region).matches();
        Set<String> copy = Set.copyOf(configured);
        return copy::contains;
    }

    static boolean wellFormed(String region) {
        return WELL_FORMED.matcher(region).matches();
    }
}
