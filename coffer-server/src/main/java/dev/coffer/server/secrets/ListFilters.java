package dev.coffer.server.secrets;

import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.secrets.SecretsManagerMessages.Filter;
import dev.coffer.server.store.SecretRow;
import dev.coffer.server.store.TagRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ListSecrets filters as AWS documents them: every filter must match (AND), any value of
 * a filter may match (OR), a value starting with {@code !} negates. {@code description}
 * is a case-insensitive prefix match; {@code name}, {@code tag-key}, {@code tag-value} and
 * {@code primary-region} are case-sensitive prefix matches; {@code all} splits the value
 * into words (at case changes, letter/digit changes and punctuation) and matches any of
 * them, case-insensitively, against the words of the name, description and tags.
 */
final class ListFilters {
    private ListFilters() {}

    static boolean matches(List<Filter> filters, SecretRow secret, List<TagRow> tags) {
        if (filters == null) return true;
        for (Filter f : filters) {
            if (f.Values() == null || f.Values().isEmpty()) {
                throw new ServiceException(ErrorCode.InvalidParameterException, "Invalid filter values");
            }
            boolean any = false;
            for (String raw : f.Values()) {
                boolean negate = raw.startsWith("!");
                String value = negate ? raw.substring(1) : raw;
                boolean hit = matchesOne(f.Key(), value, secret, tags);
                if (negate != hit) {
                    any = true;
                    break;
                }
            }
            if (!any) return false;
        }
        return true;
    }

    private static boolean matchesOne(String key, String value, SecretRow s, List<TagRow> tags) {
        return switch (key) {
            case "name" -> s.name().startsWith(value);
            case "description" -> s.description() != null
                    && s.description().toLowerCase(Locale.ROOT).startsWith(value.toLowerCase(Locale.ROOT));
            case "tag-key" -> tags.stream().anyMatch(t -> t.key().startsWith(value));
            case "tag-value" -> tags.stream().anyMatch(t -> t.value().startsWith(value));
            case "primary-region" -> s.primaryRegion() != null ? s.primaryRegion().startsWith(value)
                    : s.region().startsWith(value);
            case "owning-service" -> false; // no secret is owned by another service in Coffer
            case "all" -> matchesAnyWord(value, s, tags);
            default -> throw new ServiceException(ErrorCode.InvalidParameterException, "Invalid filter key: " + key);
        };
    }

    private static boolean matchesAnyWord(String value, SecretRow s, List<TagRow> tags) {
        List<String> haystack = new ArrayList<>(words(s.name()));
        if (s.description() != null) haystack.addAll(words(s.description()));
        for (TagRow t : tags) {
            haystack.addAll(words(t.key()));
            haystack.addAll(words(t.value()));
        }
        for (String word : words(value)) {
            for (String candidate : haystack) {
                if (candidate.startsWith(word)) return true;
            }
        }
        return false;
    }

    /** Lower-case words, split at punctuation, lower→upper case changes and letter/digit changes. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char prev = 0;
        for (char ch : text.toCharArray()) {
            boolean alnum = Character.isLetterOrDigit(ch);
            boolean boundary = !alnum
                    || (prev != 0 && Character.isLowerCase(prev) && Character.isUpperCase(ch))
                    || (prev != 0 && Character.isLetter(prev) != Character.isLetter(ch) && Character.isLetterOrDigit(prev));
            if (boundary && !word.isEmpty()) {
                out.add(word.toString().toLowerCase(Locale.ROOT));
                word.setLength(0);
            }
            if (alnum) word.append(ch);
            prev = ch;
        }
        if (!word.isEmpty()) out.add(word.toString().toLowerCase(Locale.ROOT));
        return out;
    }
}
