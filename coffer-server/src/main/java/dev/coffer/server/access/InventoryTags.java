package dev.coffer.server.access;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tag conventions of the hygiene report: which tags carry a secret's owner, classification,
 * hand-rotation period and expiry date. Keys are matched ignoring case and the separators people use
 * ({@code -}, {@code _}, {@code .}, {@code :}, spaces), so {@code Owner}, {@code owned-by} and {@code OwnedBy}
 * are all the owner. The environment is not here: it is {@link AccessAnalysis#environment}'s, the same one
 * the multi-environment rule reads, so the two can never disagree.
 */
final class InventoryTags {
    static final Set<String> OWNER = Set.of("owner", "ownedby");
    static final Set<String> CLASSIFICATION = Set.of("classification", "dataclassification");
    static final Set<String> ROTATION_DAYS = Set.of("rotationdays", "rotationperioddays");
    static final Set<String> EXPIRES = Set.of("expires", "expiry", "expiration", "expiresat", "expirydate", "expirationdate");
    static final List<String> CLASSIFICATIONS = List.of("Low", "Medium", "High");
    /** Ten years: a longer hand-rotation period is a typo, not a policy. */
    static final int MAX_ROTATION_DAYS = 3650;

    /**
     * What the tags say. A value that is there but cannot be read is named in {@code problems} and left out
     * of its field, so it is reported once, as invalid, never also as missing.
     *
     * @param classification Low, Medium or High; null when absent or not one of them
     * @param rotationDays   the {@code rotation-days} tag, or null
     * @param expires        the {@code expires} tag as an instant (a date means the start of that day, UTC), or null
     */
    record Read(String owner, String classification, Integer rotationDays, Instant expires, List<String> problems) {}

    private InventoryTags() {}

    static Read read(Map<String, String> tags) {
        List<String> problems = new ArrayList<>();
        String owner = value(tags, OWNER).orElse(null);

        String classification = null;
        Optional<String> rawClass = value(tags, CLASSIFICATION);
        if (rawClass.isPresent()) {
            classification = CLASSIFICATIONS.stream().filter(c -> c.equalsIgnoreCase(rawClass.get())).findFirst().orElse(null);
            if (classification == null) problems.add("classification '" + rawClass.get() + "' is not Low, Medium or High");
        }

        Integer rotationDays = null;
        Optional<String> rawDays = value(tags, ROTATION_DAYS);
        if (rawDays.isPresent()) {
            rotationDays = days(rawDays.get());
            if (rotationDays == null) {
                problems.add("rotation-days '" + rawDays.get() + "' is not a whole number of days from 1 to " + MAX_ROTATION_DAYS);
            }
        }

        Instant expires = null;
        Optional<String> rawExpires = value(tags, EXPIRES);
        if (rawExpires.isPresent()) {
            expires = instant(rawExpires.get());
            if (expires == null) problems.add("expires '" + rawExpires.get() + "' is not an ISO 8601 date (2027-01-31)");
        }
        return new Read(owner, classification, rotationDays, expires, List.copyOf(problems));
    }

    /** The first non-blank value of a tag whose key, normalised, is one of {@code keys}. */
    static Optional<String> value(Map<String, String> tags, Set<String> keys) {
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (keys.contains(normalise(tag.getKey())) && tag.getValue() != null && !tag.getValue().isBlank()) {
                return Optional.of(tag.getValue().strip());
            }
        }
        return Optional.empty();
    }

    static String normalise(String key) {
        return key == null ? "" : key.toLowerCase(Locale.ROOT).replaceAll("[-_.: ]", "");
    }

    private static Integer days(String text) {
        try {
            int days = Integer.parseInt(text);
            return days >= 1 && days <= MAX_ROTATION_DAYS ? days : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code 2027-01-31} (the start of that day, UTC) or an instant such as {@code 2027-01-31T12:00:00Z}. */
    private static Instant instant(String text) {
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException notAnInstant) {
                return null;
            }
        }
    }
}
