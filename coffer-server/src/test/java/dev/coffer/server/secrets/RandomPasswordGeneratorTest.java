package dev.coffer.server.secrets;

import static dev.coffer.server.secrets.RandomPasswordGenerator.DIGITS;
import static dev.coffer.server.secrets.RandomPasswordGenerator.LOWERCASE;
import static dev.coffer.server.secrets.RandomPasswordGenerator.PUNCTUATION;
import static dev.coffer.server.secrets.RandomPasswordGenerator.UPPERCASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RandomPasswordGeneratorTest {
    static final String ALL = LOWERCASE + UPPERCASE + DIGITS + PUNCTUATION + " ";
    final RandomPasswordGenerator generator = new RandomPasswordGenerator(new SecureRandom());

    @Test
    void theDefaultsGive32CharactersOfEveryTypeAndNoSpace() {
        for (int i = 0; i < 200; i++) {
            String password = generator.generate(PasswordOptions.defaults());

            assertThat(password).hasSize(32).doesNotContain(" ");
            assertThat(password).containsAnyOf(chars(LOWERCASE)).containsAnyOf(chars(UPPERCASE))
                    .containsAnyOf(chars(DIGITS)).containsAnyOf(chars(PUNCTUATION));
        }
    }

    @Test
    void thePunctuationSetIsAwsDocumentedOne() {
        assertThat(PUNCTUATION).isEqualTo("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~").hasSize(32);
    }

    /** Every option is honoured, or the request is refused for exactly the reason AWS gives. */
    @Property(tries = 1000)
    void honoursEveryOption(@ForAll("options") PasswordOptions options) {
        Expected expected = Expected.of(options);

        ServiceException refusal = catchThrowableOfType(ServiceException.class, () -> generator.generate(options));
        if (expected.refusal != null) {
            assertThat(refusal).isNotNull();
            assertThat(refusal.code()).isEqualTo(ErrorCode.InvalidParameterException);
            assertThat(refusal.getMessage()).isEqualTo(expected.refusal);
            return;
        }
        assertThat(refusal).isNull();
        String password = generator.generate(options);
        assertThat(password).hasSize((int) expected.length);
        for (char c : password.toCharArray()) {
            assertThat(expected.pool).contains(String.valueOf(c));
        }
        if (options.excludeCharacters() != null) {
            for (char c : options.excludeCharacters().toCharArray()) {
                assertThat(password).doesNotContain(String.valueOf(c));
            }
        }
        for (String type : expected.required) {
            assertThat(password).containsAnyOf(chars(type));
        }
        if (options.includeSpace() != Boolean.TRUE) {
            assertThat(password).doesNotContain(" ");
        }
    }

    @Test
    void aRequiredTypeEmptiedByExcludeCharactersIsRefused() {
        PasswordOptions options = new PasswordOptions(null, DIGITS, null, null, null, null, null, null);

        assertRefused(options, "All characters of the desired type have been excluded.");
    }

    @Test
    void aTypeEmptiedByExcludeCharactersIsFineWhenTypesAreNotRequired() {
        PasswordOptions options = new PasswordOptions(64L, DIGITS, null, null, null, null, null, false);

        assertThat(generator.generate(options)).hasSize(64).doesNotContainPattern("[0-9]");
    }

    @Test
    void nothingLeftToDrawFromIsRefused() {
        assertRefused(new PasswordOptions(null, null, true, true, true, true, null, null),
                "All characters have been excluded from selection.");
        assertRefused(new PasswordOptions(null, ALL, true, true, true, true, true, false),
                "All characters have been excluded from selection.");
    }

    @Test
    void aSpaceAloneIsAllowedButNeverRequired() {
        PasswordOptions onlySpace = new PasswordOptions(5L, null, true, true, true, true, true, null);

        assertThat(generator.generate(onlySpace)).isEqualTo("     ");
    }

    @Test
    void aLengthShorterThanTheRequiredTypesIsRefused() {
        assertRefused(new PasswordOptions(3L, null, null, null, null, null, null, null),
                "Password length is too short based on the required types.");
        assertThat(generator.generate(new PasswordOptions(3L, null, null, true, null, null, null, null))).hasSize(3);
        assertThat(generator.generate(new PasswordOptions(1L, null, null, null, null, null, null, false))).hasSize(1);
    }

    @Test
    void aLengthOutsideTheModelRangeIsAValidationError() {
        ServiceException zero = catchThrowableOfType(ServiceException.class,
                () -> generator.generate(new PasswordOptions(0L, null, null, null, null, null, null, null)));
        ServiceException huge = catchThrowableOfType(ServiceException.class,
                () -> generator.generate(new PasswordOptions(4097L, null, null, null, null, null, null, null)));

        assertThat(zero.code()).isEqualTo(ErrorCode.ValidationException);
        assertThat(zero.getMessage()).isEqualTo("1 validation error detected: Value '0' at 'passwordLength' "
                + "failed to satisfy constraint: Member must have value greater than or equal to 1");
        assertThat(huge.getMessage()).endsWith("Member must have value less than or equal to 4096");
        assertThat(generator.generate(new PasswordOptions(4096L, null, null, null, null, null, null, null))).hasSize(4096);
    }

    @Test
    void requiredCharactersAreShuffledIntoEveryPosition() {
        PasswordOptions fourTypesFourChars = new PasswordOptions(4L, null, null, null, null, null, null, null);
        boolean[][] seen = new boolean[4][4];
        for (int i = 0; i < 2000; i++) {
            String password = generator.generate(fourTypesFourChars);
            assertThat(password).containsAnyOf(chars(LOWERCASE)).containsAnyOf(chars(UPPERCASE))
                    .containsAnyOf(chars(DIGITS)).containsAnyOf(chars(PUNCTUATION));
            for (int position = 0; position < 4; position++) {
                seen[typeOf(password.charAt(position))][position] = true;
            }
        }
        for (boolean[] type : seen) {
            assertThat(type).containsOnly(true);
        }
    }

    @Test
    void charactersAreDrawnUniformly() {
        PasswordOptions digitsOnly = new PasswordOptions(4096L, null, null, true, true, true, null, false);
        int[] counts = new int[10];
        int draws = 0;
        for (int i = 0; i < 25; i++) {
            for (char c : generator.generate(digitsOnly).toCharArray()) {
                counts[c - '0']++;
                draws++;
            }
        }
        double expected = draws / 10.0;
        double chiSquare = 0;
        for (int count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        // 9 degrees of freedom: P(chi2 > 33.7) < 0.0001
        assertThat(chiSquare).isLessThan(33.7);
    }

    @Provide
    Arbitrary<PasswordOptions> options() {
        Arbitrary<Long> length = Arbitraries.oneOf(
                Arbitraries.longs().between(1, 12), Arbitraries.longs().between(13, 300)).injectNull(0.2);
        Arbitrary<String> exclude = Arbitraries.oneOf(
                Arbitraries.strings().withChars(ALL.toCharArray()).ofMaxLength(20),
                Arbitraries.strings().withChars(ALL.toCharArray()).ofMinLength(60).ofMaxLength(120),
                Arbitraries.of(DIGITS, LOWERCASE, PUNCTUATION, " ", ALL)).injectNull(0.3);
        Arbitrary<Boolean> flag = Arbitraries.of(true, false).injectNull(0.4);
        Arbitrary<Boolean> mostlyFalse = Arbitraries.of(false, false, false, true).injectNull(0.3);
        return Combinators.combine(length, exclude, mostlyFalse, mostlyFalse, mostlyFalse, mostlyFalse, flag, flag)
                .as(PasswordOptions::new);
    }

    /** An independent statement of what AWS does with a set of options. */
    record Expected(long length, String pool, List<String> required, String refusal) {
        static Expected of(PasswordOptions o) {
            String exclude = o.excludeCharacters() == null ? "" : o.excludeCharacters();
            List<String> types = new ArrayList<>();
            for (Object[] type : new Object[][] {
                    {o.excludeLowercase(), LOWERCASE}, {o.excludeUppercase(), UPPERCASE},
                    {o.excludeNumbers(), DIGITS}, {o.excludePunctuation(), PUNCTUATION}}) {
                if (type[0] != Boolean.TRUE) {
                    types.add(strip((String) type[1], exclude));
                }
            }
            boolean requireEach = o.requireEachIncludedType() != Boolean.FALSE;
            String pool = String.join("", types) + (o.includeSpace() == Boolean.TRUE ? strip(" ", exclude) : "");
            long length = o.passwordLength() == null ? 32 : o.passwordLength();
            List<String> required = requireEach ? types : List.of();
            String refusal = null;
            if (requireEach && types.contains("")) {
                refusal = "All characters of the desired type have been excluded.";
            } else if (pool.isEmpty()) {
                refusal = "All characters have been excluded from selection.";
            } else if (required.size() > length) {
                refusal = "Password length is too short based on the required types.";
            }
            return new Expected(length, pool, required, refusal);
        }

        private static String strip(String chars, String exclude) {
            StringBuilder out = new StringBuilder();
            chars.chars().filter(c -> exclude.indexOf(c) < 0).forEach(c -> out.append((char) c));
            return out.toString();
        }
    }

    private void assertRefused(PasswordOptions options, String message) {
        ServiceException e = catchThrowableOfType(ServiceException.class, () -> generator.generate(options));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.InvalidParameterException);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    private static int typeOf(char c) {
        return LOWERCASE.indexOf(c) >= 0 ? 0 : UPPERCASE.indexOf(c) >= 0 ? 1 : DIGITS.indexOf(c) >= 0 ? 2 : 3;
    }

    private static String[] chars(String characters) {
        return characters.chars().mapToObj(c -> String.valueOf((char) c)).toArray(String[]::new);
    }
}
