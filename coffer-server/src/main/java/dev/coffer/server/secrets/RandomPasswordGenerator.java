package dev.coffer.server.secrets;

import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Generates passwords with the semantics of Secrets Manager's GetRandomPassword. Every
 * character is drawn uniformly from what the options allow, with {@link SecureRandom#nextInt(int)}
 * (no modulo bias). With RequireEachIncludedType (the default) the password holds at least one
 * lowercase letter, uppercase letter, digit and punctuation character, for each of those types
 * not switched off; those characters are placed first and the whole password is then shuffled
 * (Fisher–Yates, same random source), so they can end up anywhere. A space is only ever
 * allowed, never required, as in AWS.
 *
 * <p>Refusals ({@code InvalidParameterException}), in the order AWS checks them: a required type
 * whose characters ExcludeCharacters removed entirely; nothing left to draw from at all; a
 * length shorter than the number of required types. The wording is AWS's as recorded through
 * CloudFormation; the final periods are Coffer's.
 *
 * <p>Thread-safe if the {@link SecureRandom} is (the JDK's are).
 */
public final class RandomPasswordGenerator {
    static final String LOWERCASE = "abcdefghijklmnopqrstuvwxyz";
    static final String UPPERCASE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String DIGITS = "0123456789";
    static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    static final String SPACE = " ";

    static final long DEFAULT_LENGTH = 32;
    static final long MAX_LENGTH = 4096;

    static final String TYPE_EXCLUDED = "All characters of the desired type have been excluded.";
    static final String ALL_EXCLUDED = "All characters have been excluded from selection.";
    static final String TOO_SHORT = "Password length is too short based on the required types.";

    private final SecureRandom random;

    public RandomPasswordGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public String generate(PasswordOptions options) {
        long length = options.passwordLength() == null ? DEFAULT_LENGTH : options.passwordLength();
        checkLength(length);
        String excluded = options.excludeCharacters() == null ? "" : options.excludeCharacters();
        boolean requireEach = !Boolean.FALSE.equals(options.requireEachIncludedType());

        List<String> types = new ArrayList<>(4);
        addUnless(types, options.excludeLowercase(), LOWERCASE, excluded);
        addUnless(types, options.excludeUppercase(), UPPERCASE, excluded);
        addUnless(types, options.excludeNumbers(), DIGITS, excluded);
        addUnless(types, options.excludePunctuation(), PUNCTUATION, excluded);
        if (requireEach && types.stream().anyMatch(String::isEmpty)) {
            throw refuse(TYPE_EXCLUDED);
        }
        StringBuilder pool = new StringBuilder();
        types.forEach(pool::append);
        if (Boolean.TRUE.equals(options.includeSpace())) {
            pool.append(without(SPACE, excluded));
        }
        if (pool.isEmpty()) {
            throw refuse(ALL_EXCLUDED);
        }
        List<String> required = requireEach ? types : List.of();
        if (required.size() > length) {
            throw refuse(TOO_SHORT);
        }
        return draw((int) length, required, pool.toString());
    }

    private String draw(int length, List<String> required, String pool) {
        char[] password = new char[length];
        int next = 0;
        for (String type : required) {
            password[next++] = pick(type);
        }
        while (next < length) {
            password[next++] = pick(pool);
        }
        if (!required.isEmpty()) {
            shuffle(password);
        }
        try {
            return new String(password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char pick(String characters) {
        return characters.charAt(random.nextInt(characters.length()));
    }

    private void shuffle(char[] chars) {
        for (int i = chars.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            char c = chars[i];
            chars[i] = chars[j];
            chars[j] = c;
        }
    }

    private static void addUnless(List<String> types, Boolean switchedOff, String characters, String excluded) {
        if (!Boolean.TRUE.equals(switchedOff)) {
            types.add(without(characters, excluded));
        }
    }

    private static String without(String characters, String excluded) {
        StringBuilder kept = new StringBuilder(characters.length());
        for (int i = 0; i < characters.length(); i++) {
            if (excluded.indexOf(characters.charAt(i)) < 0) {
                kept.append(characters.charAt(i));
            }
        }
        return kept.toString();
    }

    /** The model's range, enforced here too so a caller that skipped validation gets AWS's answer. */
    private static void checkLength(long length) {
        if (length < 1) {
            throw new ServiceException(ErrorCode.ValidationException, "1 validation error detected: Value '" + length
                    + "' at 'passwordLength' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        if (length > MAX_LENGTH) {
            throw new ServiceException(ErrorCode.ValidationException, "1 validation error detected: Value '" + length
                    + "' at 'passwordLength' failed to satisfy constraint: Member must have value less than or equal to 4096");
        }
    }

    private static ServiceException refuse(String message) {
        return new ServiceException(ErrorCode.InvalidParameterException, message);
    }
}
